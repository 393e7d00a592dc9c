/**
 * A cold room (loaded from the database by the first client to arrive) gives a fresh client the
 * whole board, record for record, before and after edits; a room that unloads with update rows
 * leaves one snapshot row behind, so the next cold open reads one row.
 */

import type { RunningServer } from '@drawbridge/server'
import { openRecords, readRecords, type TLShape } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { addRectangles, recordsOf } from './support/records'
import { startTestServer } from './support/servers'

/** Unload rooms quickly, so a test sees several cold opens. */
const ROOM_IDLE_MS = 200

describe.each(BACKENDS)('cold sync on %s', (backend) => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database, { ROOM_IDLE_MS: String(ROOM_IDLE_MS) })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  /** Waits until the room was unloaded and its rows folded into one snapshot. */
  const compacted = (roomId: string) =>
    waitFor(
      async () => {
        const stored = await server.storage.documents.load(roomId)
        return stored.snapshot !== null && stored.updates.length === 0
      },
      'the room to unload into one snapshot row',
      20_000,
    )

  it('gives fresh clients the whole board from a cold room, before and after edits', async () => {
    const room = await createRoom(server.url, 'Cold')
    const author = await connectSynced(server.url, room.links.edit.id)
    const ids = addRectangles(author.doc, 300, 'cold')
    const written = recordsOf(author.doc)
    const check = await connectSynced(server.url, room.links.view.id)
    await waitFor(() => readRecords(check.doc).size === Object.keys(written).length, 'the board is stored')
    destroyAll([author, check])
    await compacted(room.roomId)

    // Cold: the first client to arrive loads the room from its snapshot.
    const first = await connectSynced(server.url, room.links.edit.id)
    expect(recordsOf(first.doc)).toEqual(written)
    const second = await connectSynced(server.url, room.links.view.id)
    expect(recordsOf(second.doc)).toEqual(written)

    // After an edit, a fresh client gets the edited board, not the snapshot it was loaded from.
    const records = openRecords(first.doc)
    const moved = records.get(ids[0]!) as TLShape
    records.set(moved.id, { ...moved, x: moved.x + 500 })
    records.delete(ids[1]!)
    const edited = recordsOf(first.doc)
    await waitFor(() => JSON.stringify(recordsOf(second.doc)) === JSON.stringify(edited), 'the edit arrives')
    const third = await connectSynced(server.url, room.links.view.id)
    expect(recordsOf(third.doc)).toEqual(edited)
    destroyAll([first, second, third])

    // Unloaded with update rows: compacted again, and the next cold open holds the edits.
    await compacted(room.roomId)
    const fourth = await connectSynced(server.url, room.links.view.id)
    expect(recordsOf(fourth.doc)).toEqual(edited)
    destroyAll([fourth])
  }, 60_000)
})
