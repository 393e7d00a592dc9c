/**
 * A hand-driven y-websocket peer on a raw `ws` socket, for attacks a stock client never makes:
 * frames built by hand, reading paused (so a close frame is never seen), updates from its own doc.
 * It applies the document updates it receives, and `roundTrip` tells when the server has handled
 * everything sent before it (frames on one socket are handled in order).
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

export interface AwarenessEntry {
  clientId: number
  clock: number
  state: unknown
}

export class RawPeer {
  readonly doc = new Y.Doc()
  /** Resolves with the close code once the socket has closed. */
  readonly closed: Promise<number>
  closeCode: number | undefined
  private readonly step2Waiters: Array<() => void> = []

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)))
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code
        resolve(code)
      }),
    )
    ws.on('error', () => {})
  }

  static async open(baseUrl: string, linkId: string, token?: string): Promise<RawPeer> {
    const query = token ? `?token=${token}` : ''
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/yjs/${linkId}${query}`)
    const peer = new RawPeer(ws)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`upgrade refused: ${response.statusCode}`)),
      )
    })
    return peer
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== 0) return // presence is not tracked here
    const syncType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (syncType === 0) return
    Y.applyUpdate(this.doc, payload, 'server')
    if (syncType === 1) this.step2Waiters.shift()?.()
  }

  private sendSync(syncType: number, payload: Uint8Array): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, syncType)
    encoding.writeVarUint8Array(encoder, payload)
    this.ws.send(encoding.toUint8Array(encoder))
  }

  /** Sends a sync update frame (`[0, 2, update]`). */
  sendUpdate(update: Uint8Array): void {
    this.sendSync(2, update)
  }

  /** Sends sync step 1 and resolves on the answer: everything sent before has been handled. */
  roundTrip(): Promise<void> {
    const answered = new Promise<void>((resolve) => this.step2Waiters.push(resolve))
    this.sendSync(0, Y.encodeStateVector(this.doc))
    return answered
  }

  /** Changes this peer's doc and sends exactly that change. */
  write(change: (doc: Y.Doc) => void): void {
    const before = Y.encodeStateVector(this.doc)
    this.doc.transact(() => change(this.doc))
    this.sendUpdate(Y.encodeStateAsUpdate(this.doc, before))
  }

  /** Sends an awareness frame with hand-picked client ids, clocks and states. */
  sendAwareness(entries: AwarenessEntry[]): void {
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, entries.length)
    for (const entry of entries) {
      encoding.writeVarUint(inner, entry.clientId)
      encoding.writeVarUint(inner, entry.clock)
      encoding.writeVarString(inner, JSON.stringify(entry.state))
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
    this.ws.send(encoding.toUint8Array(encoder))
  }

  /** Stops reading: the server's frames (a close frame included) pile up unread. */
  stopReading(): void {
    ;(this.ws as unknown as { _socket: { pause(): void } })._socket.pause()
  }

  resumeReading(): void {
    ;(this.ws as unknown as { _socket: { resume(): void } })._socket.resume()
  }

  destroy(): void {
    this.ws.terminate()
    this.doc.destroy()
  }
}
