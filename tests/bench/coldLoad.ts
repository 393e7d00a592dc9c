/**
 * Cold load of stored 5,000-shape rooms: fill rooms through the server, stop it (flushing), start
 * it again, then time WebSocket connect → provider `synced` for each room's first client (the server
 * loads the room before answering). Separately times the server-side part in-process — the rows
 * read with `storage.documents.load` and applied to a Y.Doc — the client applying sync step 2, and
 * (from the server's debug log) how long after connecting the room had finished loading.
 */
import { openStorage } from '@drawbridge/server'
import { pino } from 'pino'
import * as Y from 'yjs'
import { connect, connectSynced, createRoom, destroyAll, synced } from '../integration/support/clients'
import { type Backend, createTestDatabase } from '../integration/support/databases'
import { addRectangles } from '../integration/support/records'
import { median, round, wallMs } from './lib/measure'
import { startOurs } from './lib/servers'

const SHAPES = 5_000

export async function benchColdLoad(backend: Backend, rooms = 5) {
  const database = await createTestDatabase(backend)
  try {
    let server = await startOurs(database)
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
    } finally {
      await server.stop()
    }

    // Debug logging gives the time each room finished loading (pino's `time`, epoch ms).
    server = await startOurs(database, { LOG_LEVEL: 'debug' })
    const loadedAt = new Map<string, number>()
    server.onLog((line) => {
      if (!line.includes('"msg":"room loaded"')) return
      const entry = JSON.parse(line) as { roomId: string; time: number }
      loadedAt.set(entry.roomId, entry.time)
    })
    const connectMs: number[] = []
    const untilLoadedMs: number[] = []
    try {
      for (const room of stored) {
        const t0 = wallMs()
        const provider = connect(server.url, room.linkId)
        await synced(provider)
        connectMs.push(wallMs() - t0)
        untilLoadedMs.push((loadedAt.get(room.roomId) ?? Number.NaN) - t0)
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
          for (const row of document.updates) Y.applyUpdate(doc, row.update)
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
      connectToRoomLoadedMedianMs: round(median(untilLoadedMs), 0),
      serverDbReadMedianMs: round(median(readMs), 1),
      serverApplyMedianMs: round(median(applyMs), 1),
      clientApplyMedianMs: round(median(clientApplyMs), 1),
    }
  } finally {
    await database.drop()
  }
}
