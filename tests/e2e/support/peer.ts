/** A peer writing to a board from outside the browser: the stock y-websocket provider in Node. */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BASE_URL, type CreatedRoom, createRoom } from './board'

export function peer(linkId: string): WebsocketProvider {
  return new WebsocketProvider(`${BASE_URL().replace(/^http/, 'ws')}/yjs`, linkId, new Y.Doc(), {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
}

/** Resolves once the peer has had the server's first sync. */
export const synced = (provider: WebsocketProvider) =>
  new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })

/** A new room with a synced peer on its edit link, for `use`; the peer leaves when `use` ends. */
export async function withSeededRoom(
  use: (room: CreatedRoom, seeder: WebsocketProvider) => Promise<void>,
): Promise<void> {
  const room = await createRoom()
  const seeder = peer(room.links.edit.id)
  try {
    await synced(seeder)
    await use(room, seeder)
  } finally {
    seeder.destroy()
  }
}
