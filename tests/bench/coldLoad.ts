/**
 * Cold load of stored 5,000-shape rooms: fill rooms through the server, let them unload and compact
 * into one snapshot row each (as a stored room nobody has open is), stop it, start
 * it again, then time WebSocket connect → provider `synced` for each room's first client (the server
 * loads the room before answering). Separately times the server-side part in-process — the rows
 * read with `storage.documents.load` and applied to a Y.Doc — the client applying sync step 2, and
 * the phases of each connect as the client saw them: the socket open (upgrade, link checked), the
 * first frame (the room loaded: the server's sync step 1), then `synced` (sync step 2 received and
 * applied).
 */
import { openStorage, unpackUpdates } from '@drawbridge/server'
import { pino } from 'pino'
import * as Y from 'yjs'
import {
  connect,
  connectSynced,
  createRoom,
  destroyAll,
  synced,
  waitFor,
} from '../integration/support/clients'
import { type Backend, createTestDatabase } from '../integration/support/databases'
import { readMetric } from '../integration/support/metrics'
import { addRectangles } from '../integration/support/records'
import { median, round, wallMs } from './lib/measure'
import { startOurs } from './lib/servers'

const SHAPES = 5_000

export async function benchColdLoad(backend: Backend, rooms = 5) {
  const database = await createTestDatabase(backend)
  try {
    // Rooms unload soon after their client leaves and compact into one snapshot row, as a stored room
    // that nobody has open does: the cold open reads that row.
    let server = await startOurs(database, { ROOM_IDLE_MS: '300' })
    const stored: Array<{ roomId: string; linkId: string }> = []
    let stateBytes = 0
    let clientApplyMs: number[] = []
    try {
      for (let r = 0; r < rooms; r++) {
        const room = await createRoom(server.url, `cold ${r}`)
        const provider = await connectSynced(server.url, room.links.edit.id)
        addRectangles(provider.doc, SHAPES)
        const state = Y.encodeStateAsUpdate(provider.doc)
        stateBytes = state.byteLength
        const t0 = wallMs()
        Y.applyUpdate(new Y.Doc(), state)
        clientApplyMs.push(wallMs() - t0)
        // Give the update time to leave the socket before the provider goes; the stop flushes it.
        await new Promise((resolve) => setTimeout(resolve, 300))
        destroyAll([provider])
        stored.push({ roomId: room.roomId, linkId: room.links.edit.id })
      }
      await waitFor(
        async () =>
          (await readMetric(server.url, 'drawbridge_rooms_loaded')) === 0 &&
          (await readMetric(server.url, 'drawbridge_compactions_total')) >= rooms,
        'every room compacted into one snapshot row',
        60_000,
      )
    } finally {
      await server.stop()
    }

    server = await startOurs(database)
    const connectMs: number[] = []
    const untilOpenMs: number[] = []
    const untilFirstFrameMs: number[] = []
    try {
      for (const room of stored) {
        const t0 = wallMs()
        const provider = connect(server.url, room.linkId)
        const onStatus = ({ status }: { status: string }) => {
          if (status !== 'connected') return
          provider.off('status', onStatus)
          untilOpenMs.push(wallMs() - t0)
          provider.ws?.addEventListener('message', () => untilFirstFrameMs.push(wallMs() - t0), {
            once: true,
          })
        }
        provider.on('status', onStatus)
        await synced(provider)
        connectMs.push(wallMs() - t0)
        const shapes = [...provider.doc.getArray<{ key: string }>('records')].filter((e) =>
          e.key.startsWith('shape:'),
        )
        if (shapes.length !== SHAPES)
          throw new Error(`cold load: ${shapes.length} shapes, expected ${SHAPES}`)
        destroyAll([provider])
      }
    } finally {
      await server.stop()
    }

    // Server-side load alone, in-process on the same database (the server is stopped: PGlite is single-process).
    const storage = await openStorage(
      { databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR },
      pino({ level: 'silent' }),
    )
    const readMs: number[] = []
    const applyMs: number[] = []
    try {
      for (const pass of [0, 1]) {
        for (const room of stored) {
          const t0 = wallMs()
          const document = await storage.documents.load(room.roomId)
          const t1 = wallMs()
          const doc = new Y.Doc()
          if (document.snapshot) Y.applyUpdate(doc, document.snapshot)
          for (const row of document.updates)
            for (const update of unpackUpdates(row.update, row.updateCount)) Y.applyUpdate(doc, update)
          const t2 = wallMs()
          doc.destroy()
          if (pass === 1) {
            readMs.push(t1 - t0)
            applyMs.push(t2 - t1)
          }
        }
      }
    } finally {
      await storage.close()
    }
    clientApplyMs = clientApplyMs.slice(1)
    return {
      shapes: SHAPES,
      rooms,
      stateKB: round(stateBytes / 1024, 0),
      connectToSyncedMedianMs: round(median(connectMs), 1),
      connectToSyncedFirstMs: round(connectMs[0]!, 1),
      connectToSyncedMaxMs: round(Math.max(...connectMs), 1),
      connectToOpenMedianMs: round(median(untilOpenMs), 1),
      connectToFirstFrameMedianMs: round(median(untilFirstFrameMs), 1),
      serverDbReadMedianMs: round(median(readMs), 1),
      serverApplyMedianMs: round(median(applyMs), 1),
      clientApplyMedianMs: round(median(clientApplyMs), 1),
    }
  } finally {
    await database.drop()
  }
}
