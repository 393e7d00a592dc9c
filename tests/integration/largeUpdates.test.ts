/**
 * Large updates, on PGlite and Postgres: one above MAX_UPDATE_BYTES closes its sender with 4413
 * and is not stored; and while one room stores a 7 MB update, another room's edits still reach
 * its people before that write has finished (PGlite used to stall the whole server for seconds).
 */

import { CloseCode, readRecords } from '@drawbridge/shared'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addBigEdit } from './support/bigRecords'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { fullUpdate, sendRawFrame, updateFrame } from './support/rawUpdates'
import { addRectangles } from './support/records'
import { watchLog } from './support/serverLog'
import { spawnServer, startTestServer } from './support/servers'

const MIB = 1024 * 1024

describe.each(BACKENDS)('large updates on %s', (backend) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(backend)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('closes an update above MAX_UPDATE_BYTES with 4413 and stores none of it', async () => {
    const server = await startTestServer(database, { MAX_UPDATE_BYTES: String(4 * MIB) })
    try {
      const room = await createRoom(server.url)
      const doc = new Y.Doc()
      const tooBig = addBigEdit(doc, 5 * 1024, 'too-big')
      const { ended } = sendRawFrame(server.url, room.links.edit.id, updateFrame(fullUpdate(doc)))
      expect((await ended).closeCode).toBe(CloseCode.UpdateTooLarge)

      // The same room still takes edits under the cap, from the same kind of client.
      const editor = await connectSynced(server.url, room.links.edit.id)
      const fits = addBigEdit(editor.doc, 3 * 1024, 'fits')
      const reader = await connectSynced(server.url, room.links.view.id)
      await waitFor(() => fits.every((id) => readRecords(reader.doc).has(id)), 'the 3 MiB edit arrives')
      expect(tooBig.filter((id) => readRecords(reader.doc).has(id))).toEqual([])
      destroyAll([editor, reader])
    } finally {
      await server.stop()
    }
  })

  it("answers another room's edit before a 7 MB update's write has finished", async () => {
    const server = await spawnServer(database, {
      MAX_MESSAGE_BYTES: String(16 * MIB),
      MAX_UPDATE_BYTES: String(12 * MIB),
    })
    const log = watchLog(server)
    const bigRoom = await createRoom(server.url, 'big')
    const otherRoom = await createRoom(server.url, 'other')
    const alice = await connectSynced(server.url, otherRoom.links.edit.id)
    const bob = await connectSynced(server.url, otherRoom.links.view.id)
    // Postgres writes 7 MB faster than a round trip is sure to take: hold its inserts, so the
    // write is still in flight whatever the machine's load. PGlite needs no help (seconds).
    const blocker = backend === 'postgres' ? await holdInserts(database.env.DATABASE_URL!) : undefined
    try {
      const doc = new Y.Doc()
      addBigEdit(doc, 7 * 1000, 'seven-mb')
      const big = fullUpdate(doc)
      expect(big.byteLength).toBeGreaterThan(7 * 1000 * 1000)
      const sender = sendRawFrame(server.url, bigRoom.links.edit.id, updateFrame(big))
      const isBigWrite = (msg: string) => (line: { msg: string; roomId?: string }) =>
        line.msg === msg && line.roomId === bigRoom.roomId
      await log.next(isBigWrite('writing a large update'))

      const [edit] = addRectangles(alice.doc, 1, 'while the big write runs')
      await waitFor(() => readRecords(bob.doc).has(edit!), "the other room's edit reaches Bob", 60_000)
      expect(log.lines.filter(isBigWrite('large update persisted'))).toEqual([])

      blocker?.release()
      await log.next(isBigWrite('large update persisted'))
      sender.ws.close()
    } finally {
      blocker?.release()
      await blocker?.done
      destroyAll([alice, bob])
      server.child.kill('SIGTERM')
      await server.exited
    }
  }, 180_000) // a fresh PGlite directory takes seconds to create on a busy machine
})

/** Holds a lock that makes every insert into doc_updates wait until `release()`. */
async function holdInserts(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  let release = () => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  let locked = () => {}
  const isLocked = new Promise<void>((resolve) => (locked = resolve))
  const done = sql
    .begin(async (tx) => {
      await tx`lock table doc_updates in share row exclusive mode`
      locked()
      await released
    })
    .finally(() => sql.end())
  await isLocked
  return { release, done }
}
