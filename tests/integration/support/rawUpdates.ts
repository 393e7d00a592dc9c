/** A raw `ws` client that sends y-websocket update frames the way a script (or an attacker) would. */
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

/** `[0 sync, 2 update, bytes]`: one document update as the y-websocket protocol frames it. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The update that takes a fresh doc to `doc`'s state. */
export const fullUpdate = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc)

/** Opens a socket on `/yjs/<linkId>`, sends `frame` once open, and resolves how it ended. */
export function sendRawFrame(baseUrl: string, linkId: string, frame: Uint8Array) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/yjs/${linkId}`)
  const ended = new Promise<{ closeCode: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ closeCode: code, reason: reason.toString('utf8') }))
    ws.on('error', () => {})
  })
  ws.on('open', () => ws.send(frame))
  return { ws, ended }
}
