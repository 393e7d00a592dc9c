import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyMigrations, readMigrations } from './migrations'
import { openPglite } from './pgliteClient'
import type { SqlClient } from './sqlClient'
import { SqlDocumentLog } from './sqlDocuments'
import { SqlRoomDirectory } from './sqlRooms'
import { packUpdates, unpackUpdates } from './updateBatch'

const log = pino({ level: 'silent' })

/** `db`, counting the inserts into the update log. */
function countingInserts(db: SqlClient): { client: SqlClient; inserts: () => number } {
  let inserts = 0
  const client: SqlClient = {
    ...db,
    query(text, params) {
      if (text.startsWith('insert into doc_updates')) inserts++
      return db.query(text, params)
    },
  }
  return { client, inserts: () => inserts }
}

const updateSetting = (key: string) => {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, true)
  return Y.encodeStateAsUpdate(doc)
}

describe('the document log', () => {
  let db: SqlClient
  let roomIds: string[]

  beforeAll(async () => {
    db = await openPglite('memory://', log)
    await applyMigrations(db, await readMigrations())
    const rooms = new SqlRoomDirectory(db)
    roomIds = []
    for (let i = 0; i < 3; i++) {
      const room = await rooms.createRoom({
        title: `r${i}`,
        ownerKeyHash: 'x',
        initialState: Y.encodeStateAsUpdate(new Y.Doc()),
      })
      roomIds.push(room.roomId)
    }
  }, 120_000)
  afterAll(() => db?.close())

  it("writes one turn's appends from many rooms as one statement, each row in its room", async () => {
    const { client, inserts } = countingInserts(db)
    const documents = new SqlDocumentLog(client)
    await Promise.all(roomIds.map((roomId) => documents.append(roomId, updateSetting(roomId), 1)))
    expect(inserts()).toBe(1)
    for (const roomId of roomIds) {
      const stored = await documents.load(roomId)
      const doc = new Y.Doc()
      for (const { update } of stored.updates) Y.applyUpdate(doc, update)
      expect(Object.keys(doc.getMap('m').toJSON())).toEqual([roomId])
    }
  })

  it("fails only the bad row's append when a statement fails", async () => {
    const documents = new SqlDocumentLog(db)
    const missingRoom = randomUUID()
    const results = await Promise.allSettled([
      documents.append(roomIds[0]!, updateSetting('kept'), 1),
      documents.append(missingRoom, updateSetting('refused'), 1),
      documents.append(roomIds[1]!, updateSetting('kept too'), 1),
    ])
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    const doc = new Y.Doc()
    for (const { update } of (await documents.load(roomIds[1]!)).updates) Y.applyUpdate(doc, update)
    expect(doc.getMap('m').get('kept too')).toBe(true)
  })

  it('keeps how many updates a row holds, and a room loads from packed rows and single ones alike', async () => {
    const documents = new SqlDocumentLog(db)
    const { roomId } = await new SqlRoomDirectory(db).createRoom({
      title: 'packed',
      ownerKeyHash: 'x',
      initialState: updateSetting('initial'),
    })
    await documents.append(roomId, packUpdates([updateSetting('a'), updateSetting('b')]), 2)
    await documents.append(roomId, updateSetting('c'), 1)
    const stored = await documents.load(roomId)
    expect(stored.updates.map((row) => row.updateCount)).toEqual([1, 2, 1])
    const doc = new Y.Doc()
    for (const row of stored.updates)
      for (const update of unpackUpdates(row.update, row.updateCount)) Y.applyUpdate(doc, update)
    expect(doc.getMap('m').toJSON()).toEqual({ initial: true, a: true, b: true, c: true })
  })
})
