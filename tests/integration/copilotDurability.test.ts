/**
 * The co-pilot's queue under instance failure and scale-out (issues 7 and 8), with real server
 * processes on one Postgres (and one Redis, fresh key prefix) and the scripted OpenAI-compatible
 * model: a SIGKILLed job runs again after its lease and finishes once; two instances never run a
 * job twice; progress reaches a subscriber on another instance; SIGTERM hands a job back at once;
 * a Redis outage neither crashes an instance nor stops its jobs.
 */
import { createLogger, openStorage, type RunningServer } from '@drawbridge/server'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { chatOf, jobState, labelsOf, shapesOf, startJob, subscribe, waitForJob } from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { freshRedisPrefix, TEST_REDIS_URL } from './support/redis'
import {
  chainDiagram,
  type RecordedRequest,
  type ScriptedModel,
  type ScriptedReply,
  startScriptedModel,
} from './support/scriptedModel'
import { type ServerProcess, spawnServer, startTestServer, testConfig } from './support/servers'
import { buildStoredRecords } from './support/storedRecords'
import { startTcpProxy } from './support/tcpProxy'

/** A server child process and every JSON log line it printed after "listening". */
interface Instance extends ServerProcess {
  logs: Array<Record<string, unknown>>
}

async function spawnInstance(database: TestDatabase, env: Record<string, string>): Promise<Instance> {
  const server = await spawnServer(database, env)
  const logs: Array<Record<string, unknown>> = []
  let buffered = ''
  server.child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        // not a log line
      }
    }
  })
  return { ...server, logs }
}

/** How many times an instance started running `jobId` (one "AI job started" line per claim). */
const runsOf = (instance: Instance, jobId: string) =>
  instance.logs.filter((line) => line.msg === 'AI job started' && line.jobId === jobId).length

/** The request text of a recorded model call (what follows "Request:" in the last message). */
function promptOf(request: RecordedRequest): string | undefined {
  const messages = request.body.messages as Array<{ content?: unknown }> | undefined
  const last = messages?.at(-1)?.content
  return typeof last === 'string' ? /Request: ([\s\S]*)$/.exec(last)?.[1]?.trim() : undefined
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

const once = (labels: string[]) => Object.fromEntries(labels.map((label) => [label, 1]))

/** Labels of the stored board's shapes (straight from Postgres, no server in between). */
function storedLabels(records: Map<string, unknown>): string[] {
  return [...records.values()]
    .filter((record) => (record as { typeName?: string }).typeName === 'shape')
    .map((record) => JSON.stringify((record as { props?: { richText?: unknown } }).props?.richText ?? ''))
    .map((json) => [...json.matchAll(/"text":"([^"]*)"/g)].map((match) => match[1]).join(''))
    .filter(Boolean)
}

const draw = (
  labels: string[],
  pace: { chunkChars?: number; chunkDelayMs?: number; hangAfterChars?: number } = {},
): ScriptedReply => ({
  kind: 'tool',
  name: 'draw_diagram',
  arguments: chainDiagram(labels),
  chunkChars: pace.chunkChars ?? 10_000,
  chunkDelayMs: pace.chunkDelayMs,
  hangAfterChars: pace.hangAfterChars,
  usage: { in: 100, out: 50 },
})

/**
 * A first attempt that streams most of the nodes (no edges), then goes silent and never ends. The
 * pace is slower than the agent's drawing throttle (120 ms), which draws no trailing draft.
 */
const partThenHang = (labels: string[]) =>
  draw(labels, {
    chunkChars: 16,
    chunkDelayMs: 150,
    hangAfterChars: chainDiagram(labels).indexOf(`"id":"n${labels.length - 1}"`),
  })

interface JobRow {
  status: string
  attempts: number
  claimed_by: string | null
  lease_until: Date | null
}

describe('co-pilot jobs across restarts and instances', () => {
  let model: ScriptedModel
  /** Replies by request text; `attempt` counts the model calls made for that text so far (1-based). */
  const replies = new Map<string, (attempt: number) => ScriptedReply>()
  const databases: TestDatabase[] = []
  const spawning: Array<Promise<Instance | undefined>> = []
  const inProcess: RunningServer[] = []
  const providers: WebsocketProvider[] = []
  const sockets: Array<{ close(): void }> = []
  const sqls: postgres.Sql[] = []

  const modelEnv = () => ({
    OPENAI_API_KEY: 'scripted-key',
    OPENAI_BASE_URL: model.baseUrl,
    AI_MODEL: 'scripted-model',
    AI_POLL_MS: '50',
    AI_RETRY_BASE_MS: '50',
  })
  const requestsFor = (prompt: string) => model.requests.filter((request) => promptOf(request) === prompt)

  const database = async () => {
    const created = await createTestDatabase('postgres')
    databases.push(created)
    const sql = postgres(created.env.DATABASE_URL!, { max: 2, onnotice: () => {} })
    sqls.push(sql)
    const jobRow = async (jobId: string): Promise<JobRow> => {
      const [row] = await sql.unsafe<JobRow[]>(
        'select status, attempts, claimed_by, lease_until from ai_jobs where id = $1',
        [jobId],
      )
      return row!
    }
    return { database: created, sql, jobRow }
  }
  type Database = Awaited<ReturnType<typeof database>>
  const spawn = (db: TestDatabase, env: Record<string, string>): Promise<Instance> => {
    const instance = spawnInstance(db, env)
    spawning.push(instance.catch(() => undefined))
    return instance
  }
  const viewer = async (url: string, linkId: string) => {
    const provider = await connectSynced(url, linkId)
    providers.push(provider)
    return provider
  }

  /*
   * Starting a server process is most of this file's time, so every process a test needs from the
   * start is spawned at once here and each test awaits its own (a test's later processes are
   * started by the test, when their moment comes).
   */
  let restart: Promise<{ db: Database; a: Instance }>
  let cluster: Promise<{ db: Database; x: Instance; y: Instance; z: Instance }>
  let graceful: Promise<{ db: Database; a: Instance }>

  beforeAll(async () => {
    model = await startScriptedModel()
    model.script((request) => {
      const prompt = promptOf(request)
      const reply = prompt === undefined ? undefined : replies.get(prompt)
      if (!reply) return { kind: 'status', status: 400, body: '{"error":{"message":"unscripted prompt"}}' }
      return reply(requestsFor(prompt!).length)
    })
    restart = database().then(async (db) => ({
      db,
      // A short lease: the job is claimable again 1.5 s after A stops renewing it.
      a: await spawn(db.database, { ...modelEnv(), AI_JOB_LEASE_MS: '1500' }),
    }))
    cluster = database().then(async (db) => {
      const redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix() }
      const [x, y, z] = await Promise.all([
        spawn(db.database, { ...modelEnv(), ...redis, AI_WORKERS: '1' }),
        spawn(db.database, { ...modelEnv(), ...redis, AI_WORKERS: '2' }),
        // Serves clients and queues requests, runs nothing.
        spawn(db.database, { ...modelEnv(), ...redis, AI_WORKERS: '0' }),
      ])
      return { db, x, y, z }
    })
    // The default lease (60 s): only a release lets another instance take A's job soon.
    graceful = database().then(async (db) => ({ db, a: await spawn(db.database, modelEnv()) }))
    for (const started of [restart, cluster, graceful]) started.catch(() => undefined)
  })
  afterAll(async () => {
    for (const socket of sockets) socket.close()
    destroyAll(providers.splice(0))
    const instances = (await Promise.all(spawning)).filter((instance) => instance !== undefined)
    for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill('SIGKILL')
    await Promise.all(instances.map((instance) => instance.exited))
    for (const server of inProcess) await server.stop()
    for (const sql of sqls) await sql.end()
    await model?.close()
    for (const db of databases) await db.drop()
  }, 120_000)

  it('finishes a job once, with no duplicate shapes, after its server is SIGKILLed mid-drawing', async () => {
    const { db, a } = await restart
    const labels = ['Client', 'Gateway', 'Auth', 'Orders', 'Payments', 'Ledger', 'Mailer', 'Audit']
    const prompt = 'Draw our order pipeline (restart test)'
    // First attempt: part of the diagram, then silence (the server dies meanwhile); then all at once.
    replies.set(prompt, (attempt) => (attempt === 1 ? partThenHang(labels) : draw(labels)))
    const room = await createRoom(a.url)
    const watcherOnA = await viewer(a.url, room.links.view.id)
    const jobId = await startJob(a.url, room.links.edit.id, prompt)
    await waitFor(() => labelsOf(watcherOnA.doc).length >= 2, 'the first shapes reach a viewer', 20_000)

    // What the first attempt drew is durable before the crash (so the re-run has to reuse it).
    const storage = await openStorage(testConfig(db.database).storage, createLogger('silent'))
    try {
      await waitFor(
        async () => storedLabels(buildStoredRecords(await storage.documents.load(room.roomId))).length >= 2,
        'the first shapes are in Postgres',
        10_000,
      )
    } finally {
      await storage.close()
    }
    expect((await db.jobRow(jobId)).status).toBe('running')
    a.child.kill('SIGKILL')
    expect(await a.exited).toBe(null)
    expect(labelsOf(watcherOnA.doc).length).toBeLessThan(labels.length)
    const crashed = await db.jobRow(jobId)
    expect(crashed).toMatchObject({ status: 'running', attempts: 1 })

    // A new process on the same database (its own lease is the default: only A's expiry matters).
    const b = await spawn(db.database, modelEnv())
    const state = await waitForJob(b.url, jobId, 30_000)
    expect(state.status).toBe('succeeded')
    expect(state.attempts).toBe(2)
    expect((await db.jobRow(jobId)).claimed_by).not.toBe(crashed.claimed_by)
    expect(runsOf(a, jobId)).toBe(1)
    expect(runsOf(b, jobId)).toBe(1)
    expect(requestsFor(prompt)).toHaveLength(2)

    const watcherOnB = await viewer(b.url, room.links.view.id)
    await waitFor(() => labelsOf(watcherOnB.doc).length >= labels.length, 'the whole diagram on B')
    // Exactly the spec's shapes: each node once, one arrow per edge, nothing left from attempt one.
    expect(countBy(labelsOf(watcherOnB.doc))).toEqual(once(labels))
    expect(shapesOf(watcherOnB.doc)).toHaveLength(labels.length * 2 - 1)
    const chat = chatOf(watcherOnB.doc).filter((message) => message.jobId === jobId)
    expect(chat.map((message) => message.author.kind)).toEqual(['human', 'ai'])
    expect(chat[1]!.text).toMatch(/Drew 8 shapes and 7 arrows/)
  }, 120_000)

  it('runs every job exactly once with two server processes on one Postgres', async () => {
    const { db, x, y, z } = await cluster
    const count = 12
    const specs = Array.from({ length: count }, (_, index) => ({
      prompt: `Draw service map ${index} (two instances)`,
      labels: [`S${index} web`, `S${index} api`, `S${index} db`],
    }))
    // Near-instant, but a job takes long enough that one instance cannot take all 12 alone.
    for (const spec of specs) replies.set(spec.prompt, () => draw(spec.labels, { chunkDelayMs: 150 }))
    // Requests come in through all three instances; X and Y run them.
    const through = (index: number) => [x, y, z][index % 3]!.url
    const rooms = await Promise.all(specs.map((_, index) => createRoom(through(index))))
    const jobIds = await Promise.all(
      specs.map((spec, index) => startJob(through(index), rooms[index]!.links.edit.id, spec.prompt)),
    )
    const states = await Promise.all(jobIds.map((jobId) => waitForJob(z.url, jobId, 60_000)))
    expect(states.map((state) => state.status)).toEqual(Array(count).fill('succeeded'))
    expect(states.map((state) => state.attempts)).toEqual(Array(count).fill(1))

    // One model call and one run per job, no job lost.
    for (const spec of specs) expect(requestsFor(spec.prompt)).toHaveLength(1)
    expect(jobIds.map((jobId) => runsOf(x, jobId) + runsOf(y, jobId))).toEqual(Array(count).fill(1))
    expect(jobIds.map((jobId) => runsOf(z, jobId))).toEqual(Array(count).fill(0))
    const byX = jobIds.filter((jobId) => runsOf(x, jobId) === 1).length
    const byY = jobIds.filter((jobId) => runsOf(y, jobId) === 1).length
    expect(byX).toBeGreaterThan(0)
    expect(byY).toBeGreaterThan(0)
    const claimers = await db.sql.unsafe<Array<{ jobs: number }>>(
      `select count(*)::int as jobs from ai_jobs where id = any($1::uuid[]) group by claimed_by`,
      [jobIds],
    )
    expect(claimers.map((row) => row.jobs).sort()).toEqual([byX, byY].sort())
    // What a job drew is stored as JSON (an object, not a string of it), so undo can edit it.
    const stored = await db.sql.unsafe<Array<{ result: string; selection: string }>>(
      `select jsonb_typeof(result) as result, jsonb_typeof(selection) as selection
         from ai_jobs where id = any($1::uuid[])`,
      [jobIds],
    )
    expect(stored).toEqual(Array(count).fill({ result: 'object', selection: 'array' }))

    // One set of shapes per room.
    const watchers = await Promise.all(
      rooms.map((room, index) => viewer(through(index + 1), room.links.view.id)),
    )
    for (const [index, watcher] of watchers.entries()) {
      await waitFor(() => shapesOf(watcher.doc).length >= 5, `room ${index}'s diagram`)
      expect(countBy(labelsOf(watcher.doc))).toEqual(once(specs[index]!.labels))
      expect(shapesOf(watcher.doc)).toHaveLength(5)
      expect(chatOf(watcher.doc).map((message) => message.author.kind)).toEqual(['human', 'ai'])
    }
  }, 120_000)

  it('delivers a job’s socket.io events to a subscriber on another instance (Redis adapter)', async () => {
    const { x: a, y, z: b } = await cluster
    // A (one worker) is the only instance running jobs; B (no workers) only serves the subscriber.
    if (y.child.exitCode === null) {
      y.child.kill('SIGTERM')
      expect(await y.exited).toBe(0)
    }
    const busy = { prompt: 'Draw the warm-up flow (socket test)', labels: ['Warm', 'Up', 'Flow'] }
    const watched = { prompt: 'Draw the watched flow (socket test)', labels: ['Watched', 'By', 'B'] }
    replies.set(busy.prompt, () => draw(busy.labels, { chunkChars: 8, chunkDelayMs: 100 }))
    replies.set(watched.prompt, () => draw(watched.labels, { chunkChars: 16, chunkDelayMs: 30 }))
    const [first, second] = [await createRoom(a.url), await createRoom(a.url)]
    const busyJob = await startJob(a.url, first.links.edit.id, busy.prompt)
    await waitFor(async () => (await jobState(a.url, busyJob)).status === 'running', 'A busy')
    const jobId = await startJob(a.url, second.links.edit.id, watched.prompt)
    const { socket, events } = await subscribe(b.url, jobId)
    sockets.push(socket)
    await waitFor(() => events.some(([name]) => name === 'ai:done'), 'ai:done on B', 30_000)

    const names = events.map(([name]) => name)
    // B answers the subscription with where the job stands (queued behind the busy one)…
    expect(events[0]).toEqual(['ai:queued', { type: 'ai:queued', jobId, position: 1 }])
    // …and everything after that was emitted on A, which ran the job, and crossed over Redis:
    // A's update of the queue once the busy job was done, then the job's own events.
    expect(names.filter((name) => name === 'ai:queued').length).toBeGreaterThanOrEqual(2)
    const started = names.indexOf('ai:started')
    const progress = names.indexOf('ai:progress')
    const done = names.indexOf('ai:done')
    expect(started).toBeGreaterThan(0)
    expect(progress).toBeGreaterThan(started)
    expect(done).toBeGreaterThan(progress)
    expect(events[done]![1]).toMatchObject({
      jobId,
      shapes: 5,
      exportUrl: `/api/ai/jobs/${jobId}/export.drawio`,
    })
    expect(runsOf(a, jobId)).toBe(1)
    expect(b.logs.some((line) => line.msg === 'AI job started')).toBe(false)
  }, 120_000)

  it('hands a job back on SIGTERM (queued again, attempt not spent) and another instance finishes it', async () => {
    const { db, a } = await graceful
    const labels = ['Commit', 'Build', 'Test', 'Stage', 'Release', 'Monitor']
    const prompt = 'Draw the deploy pipeline (graceful stop test)'
    // The first answer never ends: the instance must not wait for it to shut down.
    replies.set(prompt, (attempt) => (attempt === 1 ? partThenHang(labels) : draw(labels)))
    const room = await createRoom(a.url)
    const watcherOnA = await viewer(a.url, room.links.view.id)
    const jobId = await startJob(a.url, room.links.edit.id, prompt)
    await waitFor(() => labelsOf(watcherOnA.doc).length >= 2, 'the first shapes reach a viewer', 20_000)
    expect((await db.jobRow(jobId)).status).toBe('running')

    a.child.kill('SIGTERM')
    // Exit 0 means the shutdown finished on its own: main forces exit 1 after 30 s, and the hanging
    // answer would hold the job for AI_TIMEOUT_MS (60 s). No stopwatch: it flaked on a busy machine.
    expect(await a.exited).toBe(0)
    expect(await db.jobRow(jobId)).toMatchObject({
      status: 'queued',
      attempts: 0,
      claimed_by: null,
      lease_until: null,
    })
    expect(runsOf(a, jobId)).toBe(1)

    const b = await startTestServer(db.database, modelEnv())
    inProcess.push(b)
    const state = await waitForJob(b.url, jobId, 30_000)
    expect(state.status).toBe('succeeded')
    expect(state.attempts).toBe(1)
    expect(requestsFor(prompt)).toHaveLength(2)
    const watcherOnB = await viewer(b.url, room.links.view.id)
    await waitFor(() => labelsOf(watcherOnB.doc).length >= labels.length, 'the whole diagram on B')
    expect(countBy(labelsOf(watcherOnB.doc))).toEqual(once(labels))
    expect(shapesOf(watcherOnB.doc)).toHaveLength(labels.length * 2 - 1)
    const chat = chatOf(watcherOnB.doc).filter((message) => message.jobId === jobId)
    expect(chat.map((message) => message.author.kind)).toEqual(['human', 'ai'])
  }, 120_000)

  it('keeps running jobs and telling its own subscribers while Redis is unreachable', async () => {
    const { database: db } = await database()
    const proxy = await startTcpProxy(TEST_REDIS_URL)
    // The built-in planner (no model): nothing but Redis can get in the way.
    const server = await startTestServer(db, {
      REDIS_URL: proxy.url,
      REDIS_PREFIX: freshRedisPrefix(),
      AI_POLL_MS: '50',
    })
    try {
      const room = await createRoom(server.url)
      proxy.cut()
      await waitFor(
        async () =>
          ((await (await fetch(`${server.url}/healthz`)).json()) as { redis: string }).redis ===
          'unreachable',
        'the instance sees Redis down',
      )
      // Every event is published to Redis, which fails now: that must neither crash nor stop anything.
      const jobId = await startJob(server.url, room.links.edit.id, 'Outage -> Still -> Drawn')
      const { socket, events } = await subscribe(server.url, jobId)
      sockets.push(socket)
      await waitFor(() => events.some(([name]) => name === 'ai:done'), 'ai:done during the outage')
      expect((await jobState(server.url, jobId)).status).toBe('succeeded')
      const watcher = await viewer(server.url, room.links.view.id)
      expect(countBy(labelsOf(watcher.doc))).toEqual(once(['Outage', 'Still', 'Drawn']))
      proxy.restore()
      await waitFor(
        async () =>
          ((await (await fetch(`${server.url}/healthz`)).json()) as { redis: string }).redis === 'ok',
        'Redis back',
        15_000,
      )
    } finally {
      proxy.restore()
      await server.stop()
      await proxy.close()
    }
  })
})
