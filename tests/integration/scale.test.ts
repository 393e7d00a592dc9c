/**
 * Several instances over one Postgres and one Redis (fresh database and key prefix per run):
 * propagation, single-source persistence, repair of dropped pub/sub messages, SIGKILL under a
 * write burst, and one compaction at a time.
 */
import { openStorage, type RunningServer } from '@drawbridge/server'
import { readRecords } from '@drawbridge/shared'
import { pino } from 'pino'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, synced, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { readMetric } from './support/metrics'
import { addRectangles } from './support/records'
import { freshRedisPrefix, TEST_REDIS_URL } from './support/redis'
import { spawnServer, startTestServer, testConfig } from './support/servers'
import { buildStoredRecords } from './support/storedRecords'
import { startTcpProxy } from './support/tcpProxy'

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('several instances over Redis', () => {
  let database: TestDatabase
  let redis: Record<string, string>
  const servers: RunningServer[] = []
  const start = async (overrides: Record<string, string> = {}) => {
    const server = await startTestServer(database, { ...redis, RESYNC_INTERVAL_MS: '200', ...overrides })
    servers.push(server)
    return server
  }

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix() }
  })
  afterAll(async () => {
    for (const server of servers) await server.stop()
    await database?.drop()
  })

  it('carries edits and presence from one instance to the clients of another', async () => {
    const [a, b] = [await start(), await start()]
    const room = await createRoom(a.url)
    const onA = await connectSynced(a.url, room.links.edit.id)
    const onB = await connectSynced(b.url, room.links.edit.id)
    const [fromA] = addRectangles(onA.doc, 1, 'from A')
    const [fromB] = addRectangles(onB.doc, 1, 'from B')
    await waitFor(
      () => readRecords(onB.doc).has(fromA!) && readRecords(onA.doc).has(fromB!),
      'edits cross instances',
    )
    onA.awareness.setLocalStateField('user', { name: 'Ada' })
    await waitFor(
      () => [...onB.awareness.getStates().values()].some((state) => state.user?.name === 'Ada'),
      'presence crosses instances',
    )
    onA.destroy()
    await waitFor(
      () => ![...onB.awareness.getStates().values()].some((state) => state.user?.name === 'Ada'),
      'a departed cursor disappears on the other instance',
    )
    destroyAll([onB])
    // Each update is stored by the instance its author is connected to, and by no other.
    const persisted = (server: RunningServer) => readMetric(server.url, 'drawbridge_updates_persisted_total')
    await waitFor(
      async () => (await persisted(a)) >= 1 && (await persisted(b)) >= 1,
      'both persisted their own',
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect([await persisted(a), await persisted(b)]).toEqual([1, 1])
  })

  it('brings a room loaded on B up to date with writes A has not persisted yet, storing them once', async () => {
    const a = await start({ PERSIST_WINDOW_MS: '3000' })
    const b = await start()
    const room = await createRoom(a.url)
    const onA = await connectSynced(a.url, room.links.edit.id)
    const ids = addRectangles(onA.doc, 5)
    const onB = await connectSynced(b.url, room.links.view.id)
    await waitFor(() => ids.every((id) => readRecords(onB.doc).has(id)), 'B repairs from A')
    await waitFor(
      async () => (await readMetric(a.url, 'drawbridge_updates_persisted_total')) >= 1,
      'A persists',
    )
    expect(await readMetric(b.url, 'drawbridge_updates_persisted_total')).toBe(0)
    destroyAll([onA, onB])
  })

  it('a fresh client answered from the stored snapshot while B loads the room still gets what A holds unsaved', async () => {
    // A room stored as one snapshot row: B answers a fresh client with those bytes before its doc is built.
    const first = await start({ ROOM_IDLE_MS: '200' })
    const room = await createRoom(first.url)
    const author = await connectSynced(first.url, room.links.edit.id)
    const stored = addRectangles(author.doc, 50, 'stored')
    destroyAll([author])
    await waitFor(
      async () => {
        const document = await first.storage.documents.load(room.roomId)
        return document.snapshot !== null && document.updates.length === 0
      },
      'the room is stored as one snapshot row',
      20_000,
    )
    // A holds an edit it has not written: only Redis can bring it to B.
    const a = await start({ PERSIST_WINDOW_MS: '60000' })
    const onA = await connectSynced(a.url, room.links.edit.id)
    const unsaved = addRectangles(onA.doc, 3, 'unsaved')
    const b = await start()
    const onB = await connectSynced(b.url, room.links.view.id)
    expect(stored.every((id) => readRecords(onB.doc).has(id))).toBe(true)
    await waitFor(
      () => unsaved.every((id) => readRecords(onB.doc).has(id)),
      "A's unsaved edit reaches B's client",
    )
    expect(readRecords(onB.doc).size).toBe(readRecords(onA.doc).size)
    destroyAll([onA, onB])
  }, 60_000)

  it('repairs messages an instance missed while its Redis connection was cut', async () => {
    const proxy = await startTcpProxy(TEST_REDIS_URL)
    try {
      const a = await start()
      const b = await start({ REDIS_URL: proxy.url })
      const room = await createRoom(a.url)
      const onA = await connectSynced(a.url, room.links.edit.id)
      const onB = await connectSynced(b.url, room.links.edit.id)
      addRectangles(onA.doc, 1)
      await waitFor(() => readRecords(onB.doc).size === 3, 'normal propagation')

      proxy.cut()
      await waitFor(
        async () => (await (await fetch(`${b.url}/healthz`)).json()).redis === 'unreachable',
        'B sees Redis down',
      )
      const missed = addRectangles(onA.doc, 4, 'while cut')
      const [local] = addRectangles(onB.doc, 1, 'B alone') // B keeps working on its own
      expect(readRecords(onB.doc).has(missed[0]!)).toBe(false)
      proxy.restore()
      await waitFor(() => missed.every((id) => readRecords(onB.doc).has(id)), 'B heals the gap', 15_000)
      await waitFor(() => readRecords(onA.doc).has(local!), 'A gets what B did alone', 15_000)
      expect(await readMetric(b.url, 'drawbridge_bus_repairs_total')).toBeGreaterThan(0)
      destroyAll([onA, onB])
    } finally {
      await proxy.close()
    }
  })

  it('loses no update when an instance is SIGKILLed under a write burst', async () => {
    const env = { ...redis, RESYNC_INTERVAL_MS: '200', INSTANCE_TTL_MS: '900', PERSIST_WINDOW_MS: '200' }
    const a = await spawnServer(database, env)
    const b = await spawnServer(database, env)
    try {
      const room = await createRoom(a.url)
      const onA = await Promise.all([1, 2, 3].map(() => connectSynced(a.url, room.links.edit.id)))
      const onB = await Promise.all([1, 2, 3].map(() => connectSynced(b.url, room.links.edit.id)))
      const clients = [...onA, ...onB]
      // The load balancer's part: A's clients go to B when A is gone.
      for (const client of onA)
        client.serverUrl = client.serverUrl.replace(new URL(a.url).host, new URL(b.url).host)

      await Promise.all(
        clients.map(async (client, c) => {
          for (let i = 0; i < 150; i++) {
            addRectangles(client.doc, 1, `c${c}-${i}`)
            if (c === 0 && i === 60) a.child.kill('SIGKILL')
            await tick()
          }
        }),
      )
      expect(await a.exited).toBe(null)
      await Promise.all(onA.map((client) => synced(client)))
      const everything = () => new Set(clients.flatMap((client) => [...readRecords(client.doc).keys()]))
      await waitFor(
        () => clients.every((client) => readRecords(client.doc).size === everything().size),
        'clients converge on B',
        20_000,
      )
      expect(everything().size).toBe(2 + 6 * 150)

      const storage = await openStorage(testConfig(database).storage, pino({ level: 'silent' }))
      try {
        await waitFor(
          async () =>
            buildStoredRecords(await storage.documents.load(room.roomId)).size === everything().size,
          'every update is in Postgres',
          20_000,
        )
      } finally {
        await storage.close()
      }
      destroyAll(clients)
      b.child.kill('SIGTERM')
      expect(await b.exited).toBe(0)
    } finally {
      a.child.kill('SIGKILL')
      b.child.kill('SIGKILL')
    }
  })

  it('runs one compaction of a room at a time', async () => {
    const server = await start()
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    addRectangles(editor.doc, 10)
    await waitFor(
      async () => (await readMetric(server.url, 'drawbridge_updates_persisted_total')) >= 1,
      'persisted',
    )
    destroyAll([editor])
    const holder = postgres(database.env.DATABASE_URL!, { max: 1 })
    try {
      let release: () => void = () => {}
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const holding = holder.begin(async (tx) => {
        await tx.unsafe('select pg_advisory_xact_lock(71042, hashtext($1))', [room.roomId])
        await released
      })
      await waitFor(async () => {
        const [row] = (await postgres(database.env.DATABASE_URL!, { max: 1 }).begin(
          (tx) => tx.unsafe(`select count(*)::int as n from pg_locks where locktype = 'advisory'`) as never,
        )) as unknown as [{ n: number }]
        return row.n > 0
      }, 'lock held')
      expect(
        await server.storage.documents.compact(room.roomId, () => ({ state: new Uint8Array(), corrupt: [] })),
      ).toBe(false)
      release()
      await holding
      const folded = await server.storage.documents.compact(room.roomId, (stored) => ({
        state: stored.updates[0]!.update,
        corrupt: [],
      }))
      expect(folded).toBe(true)
    } finally {
      await holder.end()
    }
  })
})
