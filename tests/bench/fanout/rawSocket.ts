/**
 * The lean load generator's WebSocket client, on a bare TCP socket: an HTTP upgrade, then frames
 * parsed in place. It exists because `ws`'s receiver (a Writable stream per socket, a state machine
 * per frame) and its sender (a fresh random mask and a masked copy per frame) cost the generator
 * more CPU than the servers it measures spend relaying the same frames.
 * Sending: a client must mask its frames; a zero mask key is a valid key that leaves the payload as
 * it is, so a frame is encoded once, before the run (`wireFrame`), and written as it is each time.
 * Receiving: binary messages are handed over as views into the read buffer, valid during the call.
 * Handles what a y-websocket server sends: unfragmented binary frames, pings (answered), close.
 * Owns: the socket's bytes. Must not touch: the payloads (the generator reads and stamps them).
 */
import { createHash, randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

const OPCODE_BINARY = 0x2
const OPCODE_CLOSE = 0x8
const OPCODE_PING = 0x9
const OPCODE_PONG = 0xa
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** A complete client frame (FIN, opcode, mask bit, zero key) around `payload`; `offset` is where the payload starts. */
export function wireFrame(payload: Uint8Array, opcode = OPCODE_BINARY): { bytes: Buffer; offset: number } {
  const length = payload.length
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8
  const offset = 2 + lengthBytes + 4
  const bytes = Buffer.alloc(offset + length)
  bytes[0] = 0x80 | opcode
  if (lengthBytes === 0) bytes[1] = 0x80 | length
  else if (lengthBytes === 2) {
    bytes[1] = 0x80 | 126
    bytes.writeUInt16BE(length, 2)
  } else {
    bytes[1] = 0x80 | 127
    bytes.writeBigUInt64BE(BigInt(length), 2)
  }
  // The four mask key bytes stay zero.
  bytes.set(payload, offset)
  return { bytes, offset }
}

/**
 * Every socket reads into this one buffer (`onread`): no Buffer and no stream push per read. Safe to
 * share because each read is handled at once; a frame cut by the end of a read is copied out.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024)

export class RawSocket {
  /** Called with each binary message received; the buffer is only valid during the call. */
  onMessage: (payload: Buffer) => void = () => {}
  private pending: Buffer | null = null
  private open = true

  private constructor(private readonly socket: Socket) {
    socket.on('close', () => {
      this.open = false
    })
    socket.on('error', () => {
      this.open = false
    })
  }

  /** Connects and upgrades; resolves once the server accepted the WebSocket handshake. */
  static connect(url: string): Promise<RawSocket> {
    const { hostname, port, pathname, search } = new URL(url)
    const key = randomBytes(16).toString('base64')
    const accept = createHash('sha1')
      .update(key + HANDSHAKE_GUID)
      .digest('base64')
    return new Promise((resolve, reject) => {
      let raw: RawSocket | undefined
      let head = Buffer.alloc(0)
      const onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk])
        const end = head.indexOf('\r\n\r\n')
        if (end < 0) return
        socket.off('error', reject)
        const response = head.subarray(0, end).toString('latin1')
        if (!/^HTTP\/1\.1 101/.test(response) || !response.includes(accept)) {
          socket.destroy()
          reject(new Error(`WebSocket upgrade refused: ${response.split('\r\n')[0]}`))
          return
        }
        raw = new RawSocket(socket)
        resolve(raw)
        // Frames that arrived with the handshake's reply.
        if (head.length > end + 4) raw.read(head.subarray(end + 4))
      }
      const socket = connect({
        host: hostname,
        port: Number(port),
        noDelay: true,
        onread: {
          buffer: READ_BUFFER,
          callback: (bytes, buffer) => {
            const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, bytes)
            if (raw) raw.read(chunk)
            else onHandshake(chunk)
            return true
          },
        },
      })
      socket.once('error', reject)
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      )
    })
  }

  get isOpen(): boolean {
    return this.open
  }

  /** Writes a frame made by `wireFrame` as it is. */
  sendWire(frame: Buffer): void {
    if (this.open) this.socket.write(frame)
  }

  /** Frames `payload` and sends it (for the few frames not encoded ahead). */
  send(payload: Uint8Array): void {
    this.sendWire(wireFrame(payload).bytes)
  }

  close(): void {
    this.open = false
    this.socket.destroy()
  }

  private read(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    let at = 0
    while (buffer.length - at >= 2) {
      const first = buffer[at]!
      const second = buffer[at + 1]!
      if ((first & 0x80) === 0) throw new Error('fragmented frame: not sent by a y-websocket server')
      if (second & 0x80) throw new Error('masked frame from the server')
      let length = second & 0x7f
      let header = 2
      if (length === 126) {
        if (buffer.length - at < 4) break
        length = buffer.readUInt16BE(at + 2)
        header = 4
      } else if (length === 127) {
        if (buffer.length - at < 10) break
        length = Number(buffer.readBigUInt64BE(at + 2))
        header = 10
      }
      if (buffer.length - at < header + length) break
      const payload = buffer.subarray(at + header, at + header + length)
      at += header + length
      const opcode = first & 0x0f
      if (opcode === OPCODE_BINARY) this.onMessage(payload)
      else if (opcode === OPCODE_PING) this.sendWire(wireFrame(payload, OPCODE_PONG).bytes)
      else if (opcode === OPCODE_CLOSE) this.close()
    }
    this.pending = at < buffer.length ? Buffer.from(buffer.subarray(at)) : null
  }
}
