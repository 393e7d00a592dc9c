import { describe, expect, it } from 'vitest'
import * as ws from 'ws'
import { WebSocket, WebSocketServer } from 'ws'
import { frameForWire } from './wireFrame'

/** ws's own framer (exported at runtime; its types do not declare it). */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] }
}

/** What `ws` writes for `message` on a server socket: its own framing, header and payload joined. */
function framedByWs(message: Uint8Array): Buffer {
  return Buffer.concat(
    Sender.frame(Buffer.from(message), { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false }),
  )
}

const message = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 31) & 0xff)

describe('a message framed once for the wire', () => {
  it('is byte for byte what ws writes, at every length encoding', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000])
      expect(frameForWire(message(length)).equals(framedByWs(message(length)))).toBe(true)
  })

  it('reaches a stock ws client in order with what ws sends on the same socket', async () => {
    const server = new WebSocketServer({ port: 0 })
    await new Promise((resolve) => server.once('listening', resolve))
    const { port } = server.address() as { port: number }
    const client = new WebSocket(`ws://127.0.0.1:${port}`)
    const received: number[] = []
    const done = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received.push(data.byteLength)
        if (received.length === 4) resolve()
      }),
    )
    const [socket] = await new Promise<[WebSocket]>((resolve) =>
      server.once('connection', (ws) => resolve([ws])),
    )
    const transport = (socket as unknown as { _socket: import('node:net').Socket })._socket
    transport.write(frameForWire(message(10)))
    socket.send(message(300))
    transport.write(frameForWire(message(70_000)))
    socket.send(message(0))
    await done
    expect(received).toEqual([10, 300, 70_000, 0])
    client.close()
    server.close()
  })
})
