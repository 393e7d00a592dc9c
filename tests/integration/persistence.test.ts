/**
 * Durability of the sync core on real databases: what clients hold is what a restarted server
 * loads, compaction changes nothing a client can see, and SIGTERM mid-burst loses nothing.
 */

import { openStorage, packUpdates, type RunningServer } from '@drawbridge/server'
import { CloseCode, openRecords, readRecords, type TLShape } from '@drawbridge/shared'
import { pino } from 'pino'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { connectSynced, createRoom, destroyAll, synced, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { addRectangles, recordsOf } from './support/records'
import { spawnServer, startTestServer, testConfig } from './support/servers'
import { buildStoredRecords } from './support/storedRecords'

const tick = () => new Promise((resolve) => setImmediate(resolve))

function moveShape(doc: Y.Doc, id: string, dx: number) {
  const records = openRecords(doc)
  const shape = records.get(id) as TLShape
  records.set(id, { ...shape, x: shape.x + dx })
}

describe.each(BACKENDS)('persistence on %s', (backend) => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database, { COMPACT_AFTER_UPDATES: '10' })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('reloads after a restart exactly what 20 clients × 100 concurrent edits left', async () => {
    const room = await createRoom(server.url)
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => connectSynced(server.url, room.links.edit.id)),
    )
    await Promise.all(
      clients.map(async (client, c) => {
        const own: string[] = []
        for (let edit = 0; edit < 100; edit++) {
          if (edit % 4 === 0 || own.length === 0) own.push(...addRectangles(client.doc, 1, `c${c}e${edit}`))
          else moveShape(client.doc, own[edit % own.length]!, 1)
          await tick()
        }
      }),
    )
    const expected = 2 + 20 * 25
    await waitFor(
      () => clients.every((client) => readRecords(client.doc).size === expected),
      'clients converge',
      20_000,
    )
    const stateVector = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64')
    await waitFor(
      () => new Set(clients.map((client) => stateVector(client.doc))).size === 1,
      'every client holds every edit',
      20_000,
    )
    const reference = recordsOf(clients[0]!.doc)
    for (const client of clients) expect(recordsOf(client.doc)).toEqual(reference)
    destroyAll(clients)

    await server.stop()
    server = await startTestServer(database, { COMPACT_AFTER_UPDATES: '10' })
    const reloaded = await connectSynced(server.url, room.links.view.id)
    expect(recordsOf(reloaded.doc)).toEqual(reference)
    destroyAll([reloaded])
  })

  it('compacts the update log without changing the document', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const ids = addRectangles(editor.doc, 50)
    for (let round = 0; round < 20; round++) {
      for (const id of ids) moveShape(editor.doc, id, 5)
      // Let each round land as its own row (rows coalesce within PERSIST_WINDOW_MS).
      await new Promise((resolve) => setTimeout(resolve, 60))
    }
    const observer = await connectSynced(server.url, room.links.view.id)
    await waitFor(
      () => JSON.stringify(recordsOf(observer.doc)) === JSON.stringify(recordsOf(editor.doc)),
      'observer caught up',
    )
    const expected = recordsOf(editor.doc)
    destroyAll([editor, observer])
    await server.stop()

    server = await startTestServer(database, { COMPACT_AFTER_UPDATES: '10' })
    const stored = await server.storage.documents.load(room.roomId)
    expect(stored.snapshot).not.toBeNull()
    expect(stored.updates.length).toBeLessThan(10)
    const reloaded = await connectSynced(server.url, room.links.view.id)
    expect(recordsOf(reloaded.doc)).toEqual(expected)
    expect((recordsOf(reloaded.doc)[ids[0]!] as TLShape).x).toBe(100)
    destroyAll([reloaded])
  })

  it('loses nothing when SIGTERM arrives in the middle of a write burst', async () => {
    const child = await spawnServer(database, { PERSIST_WINDOW_MS: '100' })
    const room = await createRoom(child.url)
    const clients = await Promise.all(
      Array.from({ length: 5 }, () => connectSynced(child.url, room.links.edit.id)),
    )
    const closeCodes: number[] = []
    for (const client of clients) {
      client.on('connection-close', (event: CloseEvent | null) => {
        if (event) closeCodes.push(event.code)
      })
    }
    const sentWhileConnected = new Set<string>()
    let signalled = false
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < 400 && (client.wsconnected || !signalled); i++) {
          // Sent means the socket was open (not closing) when the update went out.
          const connectedNow = client.ws?.readyState === WebSocket.OPEN
          const [id] = addRectangles(client.doc, 1, `c${c}-${i}`)
          if (connectedNow) sentWhileConnected.add(id!)
          if (c === 0 && i === 100) {
            signalled = true
            child.child.kill('SIGTERM')
          }
          await tick()
        }
      }),
    )
    expect(await child.exited).toBe(0)
    expect(closeCodes.slice(0, 5)).toEqual(Array(5).fill(CloseCode.ServiceRestart))
    expect(sentWhileConnected.size).toBeGreaterThan(100)

    const storage = await openStorage(testConfig(database).storage, pino({ level: 'silent' }))
    const persisted = buildStoredRecords(await storage.documents.load(room.roomId))
    await storage.close()
    const missing = [...sentWhileConnected].filter((id) => !persisted.has(id))
    expect(missing).toEqual([])

    // The clients kept what the server never saw; they resend it when a server is back.
    const restarted = await spawnServer(database, { PORT: String(new URL(child.url).port) })
    await Promise.all(clients.map((client) => synced(client)))
    const union = new Set(clients.flatMap((client) => [...readRecords(client.doc).keys()]))
    const check = await connectSynced(restarted.url, room.links.view.id)
    await waitFor(
      () => readRecords(check.doc).size === union.size,
      'every client edit reaches the restarted server',
    )
    destroyAll([...clients, check])
    restarted.child.kill('SIGTERM')
    expect(await restarted.exited).toBe(0)
  })
})

describe('a corrupt stored row', () => {
  it('is quarantined with a log line while the room loads from everything else', async () => {
    const database = await createTestDatabase('postgres')
    let server = await startTestServer(database)
    try {
      const room = await createRoom(server.url)
      const editor = await connectSynced(server.url, room.links.edit.id)
      const ids = addRectangles(editor.doc, 3)
      await waitFor(
        async () => (await server.storage.documents.load(room.roomId)).updates.length >= 2,
        'persisted',
      )
      destroyAll([editor])
      await server.stop()

      const sql = postgres(database.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
      const corrupt = Buffer.from([0, 7, 7, 255, 1])
      await sql`insert into doc_updates (room_id, update) values (${room.roomId}, ${corrupt})`
      // A row holding two updates, the second corrupt: the row goes to quarantine whole.
      const packed = Buffer.from(packUpdates([new Uint8Array([0, 0]), corrupt]))
      await sql`insert into doc_updates (room_id, update, update_count) values (${room.roomId}, ${packed}, 2)`
      server = await startTestServer(database)
      const reader = await connectSynced(server.url, room.links.view.id)
      expect(ids.every((id) => readRecords(reader.doc).has(id))).toBe(true)
      const quarantined = await sql`select room_id, update_count from doc_update_quarantine order by id`
      expect(quarantined.map((row) => [row.room_id, row.update_count])).toEqual([
        [room.roomId, 1],
        [room.roomId, 2],
      ])
      expect(
        (await server.storage.documents.load(room.roomId)).updates.every(
          (row) => row.updateCount === 1 && row.update[1] !== 7,
        ),
      ).toBe(true)
      await sql.end()
      destroyAll([reader])
    } finally {
      await server.stop()
      await database.drop()
    }
  })
})
