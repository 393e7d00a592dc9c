/**
 * "7 MB update vs another room's round trip": while a raw client sends one 7 MB update into one
 * room, Alice edits another room in a loop and we time how long each edit takes to reach Bob
 * (sequential round trips through the server). The window runs from the send until the server logs
 * the big write as persisted, plus the compaction that follows. Also: the same round trip idle, and
 * how long the big write took (the server's own log line).
 */
import { readRecords } from '@drawbridge/shared'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { addBigEdit } from '../integration/support/bigRecords'
import { connectSynced, createRoom, destroyAll } from '../integration/support/clients'
import type { Backend } from '../integration/support/databases'
import { fullUpdate, sendRawFrame, updateFrame } from '../integration/support/rawUpdates'
import { addRectangles } from '../integration/support/records'
import { quantile, round, sleep, wallMs } from './lib/measure'
import { withOurs } from './lib/servers'

const MIB = 1024 * 1024
/** Room for a 7 MB update: the defaults (8 MiB frames, 4 MiB updates) would refuse it. */
const BIG_UPDATE_ENV = {
  MAX_MESSAGE_BYTES: String(16 * MIB),
  MAX_UPDATE_BYTES: String(12 * MIB),
  BYTES_PER_SECOND: String(64 * MIB),
}
/** Round trips measured with nothing else going on, for comparison. */
const IDLE_ROUND_TRIPS = 20
/** Pause between two round trips (a person's edits are not back to back). */
const ROUND_TRIP_GAP_MS = 20
/** Keep measuring this long after the write is persisted: compaction and versions follow it. */
const AFTER_WRITE_MS = 3_000

/** Alice adds a rectangle; resolves with the ms until Bob's doc holds it. */
function roundTrip(alice: WebsocketProvider, bob: WebsocketProvider): Promise<number> {
  const start = wallMs()
  const [id] = addRectangles(alice.doc, 1, 'round trip')
  return new Promise((resolve) => {
    const check = () => {
      if (!readRecords(bob.doc).has(id!)) return
      bob.doc.off('update', check)
      resolve(wallMs() - start)
    }
    bob.doc.on('update', check)
    check()
  })
}

export function benchBigUpdate(backend: Backend) {
  return withOurs(backend, BIG_UPDATE_ENV, async (server) => {
    let persistedAt = 0
    let writeMs = Number.NaN
    const bigRoom = await createRoom(server.url, 'big')
    server.onLog((line) => {
      if (!line.includes('"large update persisted"') || !line.includes(bigRoom.roomId)) return
      persistedAt = wallMs()
      writeMs = (JSON.parse(line) as { ms: number }).ms
    })
    const otherRoom = await createRoom(server.url, 'other')
    const alice = await connectSynced(server.url, otherRoom.links.edit.id)
    const bob = await connectSynced(server.url, otherRoom.links.view.id)

    const idle: number[] = []
    for (let i = 0; i < IDLE_ROUND_TRIPS; i++) {
      idle.push(await roundTrip(alice, bob))
      await sleep(ROUND_TRIP_GAP_MS)
    }

    const doc = new Y.Doc()
    addBigEdit(doc, 7 * 1000, 'seven-mb')
    const big = fullUpdate(doc)
    const sentAt = wallMs()
    const sender = sendRawFrame(server.url, bigRoom.links.edit.id, updateFrame(big))
    const during: number[] = []
    while (persistedAt === 0 || wallMs() < persistedAt + AFTER_WRITE_MS) {
      during.push(await roundTrip(alice, bob))
      await sleep(ROUND_TRIP_GAP_MS)
    }
    sender.ws.close()
    destroyAll([alice, bob])

    idle.sort((a, b) => a - b)
    during.sort((a, b) => a - b)
    return {
      updateBytes: big.byteLength,
      idleRoundTripP50Ms: round(quantile(idle, 0.5), 1),
      roundTrips: during.length,
      roundTripP50Ms: round(quantile(during, 0.5), 1),
      roundTripP99Ms: round(quantile(during, 0.99), 1),
      roundTripMaxMs: round(during.at(-1) ?? Number.NaN, 1),
      sendToPersistedMs: round(persistedAt - sentAt, 0),
      writeMs,
    }
  })
}
