/**
 * The AI co-pilot (issue 7): jobs/s through the Postgres queue with an instant scripted model; for a
 * 30-node diagram streamed by the scripted model, the time from the model's first token to the
 * first shape a y-websocket viewer sees, and to the last; and ELK layout time for 200 nodes.
 *
 * The server is a child process on a fresh Postgres database (`startOurs`), its model the local
 * OpenAI-compatible `scriptedModel` the integration tests use, reached through a pass-through proxy
 * here that stamps when the first and last tool-call argument chunks go by (the "tokens"). Plan
 * limits are lifted by raising the `free` plan's row (anonymous edit-link holders are on `free`)
 * and the global budget through `AI_GLOBAL_RPM`/`AI_GLOBAL_TPM`, so only the pipeline is measured.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type DiagramSpec,
  layoutDiagram,
  readRecords,
  type TLRecord,
  validateDocumentRecord,
} from '@drawbridge/shared'
import postgres from 'postgres'
import { syntheticDiagram } from '../../shared/src/diagram/sampleDiagrams'
import { connectSynced, createRoom, destroyAll, waitFor } from '../integration/support/clients'
import { startJob, waitForJob } from '../integration/support/copilot'
import { createTestDatabase } from '../integration/support/databases'
import { chainDiagram, type ScriptedModel, startScriptedModel } from '../integration/support/scriptedModel'
import { inBatches, machineBusyMs, median, processCpuMs, quantile, round, sleep, wallMs } from './lib/measure'
import { type OurServer, startOurs } from './lib/servers'

export const AI_BENCH = {
  /** Queue throughput: jobs, spread over rooms, and the workers per instance for each run. */
  jobs: 100,
  rooms: 10,
  workers: [2, 8],
  pollMs: 20,
  /** Streaming: nodes of the streamed diagram, runs (median), and the model's pace. */
  streamNodes: 30,
  streamGroups: 3,
  streamRuns: 3,
  /** 12 characters every 30 ms ≈ 400 characters/s ≈ 100 tokens/s, a fast hosted model. */
  chunkChars: 12,
  chunkDelayMs: 30,
  /** Layout: nodes, runs (median) after warm-up runs. */
  layoutNodes: 200,
  layoutRuns: 7,
  layoutWarmup: 2,
}

/** Server settings that take the limits out of the way of a benchmark. */
function aiEnv(model: { baseUrl: string }, workers: number): Record<string, string> {
  return {
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_API_KEY: 'bench-key',
    AI_MODEL: 'bench-model',
    AI_WORKERS: String(workers),
    AI_POLL_MS: String(AI_BENCH.pollMs),
    AI_QUEUE_MAX: '100000',
    AI_GLOBAL_RPM: '1000000',
    AI_GLOBAL_TPM: '1000000000',
    AI_MAX_RETRIES: '0',
  }
}

/** The `free` plan (anonymous requesters) without limits, in the server's database. */
async function liftPlanLimits(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`update plans set per_day = 1000000, per_hour = 1000000, concurrent = 1000000`
  } finally {
    await sql.end()
  }
}

/** A fresh Postgres database, the scripted model and our server with `workers` AI workers. */
async function withAiServer<T>(
  workers: number,
  use: (server: OurServer, model: ScriptedModel, timing: TokenTiming, sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase('postgres')
  const model = await startScriptedModel()
  const proxy = await startTimingProxy(model.baseUrl)
  let server: OurServer | undefined
  let sql: postgres.Sql | undefined
  try {
    server = await startOurs(database, aiEnv({ baseUrl: proxy.baseUrl }, workers))
    await liftPlanLimits(database.env.DATABASE_URL!)
    sql = postgres(database.env.DATABASE_URL!, { max: 2, onnotice: () => {} })
    return await use(server, model, proxy.timing, sql)
  } finally {
    await sql?.end()
    await server?.stop()
    await proxy.close()
    await model.close()
    await database.drop()
  }
}

/** CPU ms so far of every live process named `name`, by pid. */
function cpuByPid(name: string): Map<number, number> {
  const cpu = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name)
        cpu.set(Number(entry), processCpuMs(Number(entry)))
    } catch {
      // The process exited while we looked.
    }
  }
  return cpu
}

/** CPU used since `before` by the processes alive now (a sum over all would drop when one exits). */
function cpuSince(before: Map<number, number>, name: string): number {
  let used = 0
  for (const [pid, ms] of cpuByPid(name)) used += ms - (before.get(pid) ?? 0)
  return used
}

/**
 * CPU used from now on by the server, Postgres (all its live backends, other databases' too) and
 * this process, and what share of one core everything else on the machine kept busy.
 */
function cpuMeter(serverPid: number) {
  const server0 = processCpuMs(serverPid)
  const postgres0 = cpuByPid('postgres')
  const machine0 = machineBusyMs()
  const self0 = process.cpuUsage()
  const t0 = wallMs()
  return () => {
    const seconds = (wallMs() - t0) / 1000
    const server = processCpuMs(serverPid) - server0
    const pg = cpuSince(postgres0, 'postgres')
    const selfUsage = process.cpuUsage(self0)
    const self = (selfUsage.user + selfUsage.system) / 1000
    const other = machineBusyMs() - machine0 - server - pg - self
    return { serverMs: server, postgresMs: pg, benchMs: self, otherCpuPct: round(other / seconds / 10, 0) }
  }
}

// --- first and last token, seen on the wire ------------------------------------------------------

interface TokenTiming {
  /** Per model request, in arrival order: when its first and last tool-argument chunk passed. */
  requests: Array<{ at: number; firstToken?: number; lastToken?: number }>
}

/**
 * A pass-through HTTP proxy to the scripted model that stamps (`wallMs`) the first streamed chunk
 * carrying tool-call argument text — the model's first token as the server receives it — and the
 * last one.
 */
async function startTimingProxy(
  targetBase: string,
): Promise<{ baseUrl: string; timing: TokenTiming; close(): Promise<void> }> {
  const target = new URL(targetBase)
  const timing: TokenTiming = { requests: [] }
  const server: Server = createServer((incoming, outgoing) => {
    const entry: TokenTiming['requests'][number] = { at: wallMs() }
    timing.requests.push(entry)
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers)
        response.on('data', (chunk: Buffer) => {
          // A tool-call delta with argument text: `"arguments":"` followed by something other than `"`.
          if (/"arguments":"[^"]/.test(chunk.toString('utf8'))) {
            const now = wallMs()
            entry.firstToken ??= now
            entry.lastToken = now
          }
          outgoing.write(chunk)
        })
        response.on('end', () => outgoing.end())
      },
    )
    upstream.on('error', () => outgoing.destroy())
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}${target.pathname}`,
    timing,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// --- 1. jobs/s through the queue ---------------------------------------------------------------------

/** `jobs` requests with an instant model, each drawing a 4-node chain; time until all are done. */
export async function benchAiQueue(workers: number, jobs = AI_BENCH.jobs) {
  return withAiServer(workers, async (server, model, _timing, sql) => {
    const reply = chainDiagram(['Browser', 'API', 'Queue', 'Database'])
    model.script(() => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: reply,
      chunkChars: reply.length,
      usage: { in: 400, out: 120 },
    }))
    const rooms = await inBatches(
      Array.from({ length: AI_BENCH.rooms }, (_, i) => i),
      5,
      (i) => createRoom(server.url, `AI bench ${i}`),
    )
    // One warm-up job (JIT, first agent connection, ELK worker start) before the clock starts.
    const warm = await startJob(server.url, rooms[0]!.links.edit.id, 'draw a small thing')
    if ((await waitForJob(server.url, warm, 60_000)).status !== 'succeeded')
      throw new Error('warm-up job failed')
    await sql`delete from ai_jobs`
    await sql`delete from usage_records`

    const cpu = cpuMeter(server.pid)
    const t0 = wallMs()
    const ids = await inBatches(
      Array.from({ length: jobs }, (_, i) => i),
      10,
      (i) => startJob(server.url, rooms[i % rooms.length]!.links.edit.id, `draw our system, part ${i}`),
    )
    const enqueuedMs = wallMs() - t0
    await waitFor(
      async () => {
        const [row] = await sql<Array<{ done: number }>>`
          select count(*)::int as done from ai_jobs where status in ('succeeded', 'failed')`
        return (row?.done ?? 0) >= ids.length
      },
      `${jobs} AI jobs to finish`,
      10 * 60_000,
    )
    const wallSeconds = (wallMs() - t0) / 1000
    const used = cpu()
    const rows = await sql<
      Array<{ status: string; queued_ms: number; run_ms: number; total_ms: number; shapes: number }>
    >`select status, shapes,
             extract(epoch from (started_at - created_at)) * 1000 as queued_ms,
             extract(epoch from (finished_at - started_at)) * 1000 as run_ms,
             extract(epoch from (finished_at - created_at)) * 1000 as total_ms
        from ai_jobs`
    const [span] = await sql<Array<{ seconds: number }>>`
      select extract(epoch from (max(finished_at) - min(created_at)))::float8 as seconds from ai_jobs`
    const sorted = (key: 'queued_ms' | 'run_ms' | 'total_ms') =>
      rows.map((row) => Number(row[key])).sort((a, b) => a - b)
    const failed = rows.filter((row) => row.status !== 'succeeded').length
    if (failed > 0) throw new Error(`${failed} of ${jobs} AI jobs failed`)
    const [usage] = await sql<Array<{ calls: number }>>`select count(*)::int as calls from usage_records`
    return {
      jobs,
      rooms: AI_BENCH.rooms,
      workers,
      succeeded: rows.length - failed,
      modelCalls: usage?.calls ?? 0,
      shapesPerJob: median(rows.map((row) => row.shapes)),
      enqueueAllMs: round(enqueuedMs, 0),
      jobsPerSecond: round(jobs / (span?.seconds ?? wallSeconds), 2),
      jobsPerSecondWall: round(jobs / wallSeconds, 2),
      runP50Ms: round(quantile(sorted('run_ms'), 0.5), 0),
      runP99Ms: round(quantile(sorted('run_ms'), 0.99), 0),
      queuedToDoneP50Ms: round(quantile(sorted('total_ms'), 0.5), 0),
      queuedToDoneMaxMs: round(quantile(sorted('total_ms'), 1), 0),
      serverCpuMsPerJob: round(used.serverMs / jobs, 0),
      postgresCpuMsPerJob: round(used.postgresMs / jobs, 0),
      /** Busy CPU (% of one core) of everything that is neither the server, Postgres nor this bench. */
      otherCpuPct: used.otherCpuPct,
    }
  })
}

// --- 2. first token → first and last shape, 30 nodes streamed ------------------------------------------

interface Seen {
  at: number
  nodes: number
  shapes: number
}

/** Non-arrow, non-frame shapes: the diagram's nodes. */
function countShapes(records: Map<string, TLRecord>): { nodes: number; shapes: number } {
  let nodes = 0
  let shapes = 0
  for (const record of records.values()) {
    if (record.typeName !== 'shape') continue
    shapes++
    if (record.type !== 'arrow' && record.type !== 'frame') nodes++
  }
  return { nodes, shapes }
}

async function streamOnce(
  server: OurServer,
  model: ScriptedModel,
  timing: TokenTiming,
  spec: DiagramSpec,
  pace: { chunkChars: number; chunkDelayMs: number },
) {
  const args = JSON.stringify(spec)
  model.script(() => ({
    kind: 'tool',
    name: 'draw_diagram',
    arguments: args,
    ...pace,
    usage: { in: 900, out: 800 },
  }))
  const room = await createRoom(server.url, 'AI stream bench')
  const viewer = await connectSynced(server.url, room.links.view.id)
  const seen: Seen[] = []
  viewer.doc.on('update', () => seen.push({ at: wallMs(), ...countShapes(readRecords(viewer.doc)) }))
  try {
    const before = timing.requests.length
    const jobId = await startJob(server.url, room.links.edit.id, 'draw our platform')
    const state = await waitForJob(server.url, jobId, 120_000)
    if (state.status !== 'succeeded') throw new Error(`stream job ${state.status}: ${state.error}`)
    const request = timing.requests[before]
    if (!request?.firstToken || !request.lastToken) throw new Error('no streamed tokens seen')
    const records = readRecords(viewer.doc)
    const final = countShapes(records)
    if (final.nodes !== spec.nodes.length)
      throw new Error(`viewer has ${final.nodes} of ${spec.nodes.length} nodes`)
    for (const record of records.values()) {
      if (!validateDocumentRecord(record).ok) throw new Error(`invalid record ${record.id} in the doc`)
    }
    const firstShape = seen.find((entry) => entry.nodes > 0)!.at
    const lastNode = seen.find((entry) => entry.nodes >= spec.nodes.length)!.at
    const complete = seen.find((entry) => entry.shapes >= final.shapes)!.at
    const steps = new Set(seen.map((entry) => entry.nodes).filter((nodes) => nodes > 0)).size
    return {
      streamMs: request.lastToken - request.firstToken,
      requestToFirstTokenMs: request.firstToken - request.at,
      firstTokenToFirstShapeMs: firstShape - request.firstToken,
      firstTokenToLastNodeMs: lastNode - request.firstToken,
      firstTokenToCompleteMs: complete - request.firstToken,
      lastTokenToCompleteMs: complete - request.lastToken,
      visibleSteps: steps,
      shapes: final.shapes,
    }
  } finally {
    destroyAll([viewer])
  }
}

type StreamRun = Awaited<ReturnType<typeof streamOnce>>

export async function benchAiStream() {
  const spec = syntheticDiagram(AI_BENCH.streamNodes, { groups: AI_BENCH.streamGroups, seed: 5 })
  return withAiServer(2, async (server, model, timing) => {
    const instant = { chunkChars: 100_000, chunkDelayMs: 0 }
    const paced = { chunkChars: AI_BENCH.chunkChars, chunkDelayMs: AI_BENCH.chunkDelayMs }
    await streamOnce(server, model, timing, spec, instant) // warm-up
    const cpu = cpuMeter(server.pid)
    const runs: StreamRun[] = []
    for (let i = 0; i < AI_BENCH.streamRuns; i++)
      runs.push(await streamOnce(server, model, timing, spec, paced))
    const instantRuns: StreamRun[] = []
    for (let i = 0; i < AI_BENCH.streamRuns; i++) {
      instantRuns.push(await streamOnce(server, model, timing, spec, instant))
      await sleep(50)
    }
    const used = cpu()
    const med = (list: StreamRun[], key: keyof StreamRun) => round(median(list.map((run) => run[key])), 0)
    return {
      nodes: spec.nodes.length,
      edges: spec.edges.length,
      groups: spec.groups?.length ?? 0,
      argumentChars: JSON.stringify(spec).length,
      shapes: runs[0]!.shapes,
      /** The pace asked for, and the pace the timers actually gave (they slip on a busy machine). */
      charsPerSecondScripted: Math.round((1000 * AI_BENCH.chunkChars) / AI_BENCH.chunkDelayMs),
      charsPerSecondActual: Math.round(
        (1000 * JSON.stringify(spec).length) / median(runs.map((run) => run.streamMs)),
      ),
      runs: AI_BENCH.streamRuns,
      streamMedianMs: med(runs, 'streamMs'),
      firstTokenToFirstShapeMedianMs: med(runs, 'firstTokenToFirstShapeMs'),
      firstTokenToFirstShapeMaxMs: round(Math.max(...runs.map((run) => run.firstTokenToFirstShapeMs)), 0),
      firstTokenToLastNodeMedianMs: med(runs, 'firstTokenToLastNodeMs'),
      firstTokenToCompleteMedianMs: med(runs, 'firstTokenToCompleteMs'),
      lastTokenToCompleteMedianMs: med(runs, 'lastTokenToCompleteMs'),
      visibleStepsMedian: med(runs, 'visibleSteps'),
      requestToFirstTokenMedianMs: med(runs, 'requestToFirstTokenMs'),
      instantFirstTokenToFirstShapeMedianMs: med(instantRuns, 'firstTokenToFirstShapeMs'),
      instantFirstTokenToCompleteMedianMs: med(instantRuns, 'firstTokenToCompleteMs'),
      otherCpuPct: used.otherCpuPct,
    }
  })
}

// --- 3. ELK layout of 200 nodes ------------------------------------------------------------------------

async function timeLayout(spec: DiagramSpec) {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < AI_BENCH.layoutWarmup + AI_BENCH.layoutRuns; i++) {
    const cpu0 = process.cpuUsage()
    const t0 = wallMs()
    const layout = await layoutDiagram(spec)
    const elapsed = wallMs() - t0
    const used = process.cpuUsage(cpu0)
    if (layout.nodes.size !== spec.nodes.length) throw new Error('layout lost nodes')
    if (i < AI_BENCH.layoutWarmup) continue
    wall.push(elapsed)
    cpu.push((used.user + used.system) / 1000)
  }
  return { wall: round(median(wall), 1), cpu: round(median(cpu), 1) }
}

export async function benchLayout() {
  const plain = syntheticDiagram(AI_BENCH.layoutNodes, { seed: 3 })
  const grouped = syntheticDiagram(AI_BENCH.layoutNodes, { groups: 8, seed: 7 })
  const flat = await timeLayout(plain)
  const nested = await timeLayout(grouped)
  return {
    nodes: AI_BENCH.layoutNodes,
    edges: plain.edges.length,
    medianMs: flat.wall,
    cpuMedianMs: flat.cpu,
    groups: grouped.groups?.length ?? 0,
    groupedMedianMs: nested.wall,
    groupedCpuMedianMs: nested.cpu,
    runs: AI_BENCH.layoutRuns,
  }
}

// Alone: `cd tests && node --import tsx bench/ai.ts [queue|stream|layout]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.setMaxListeners(0)
  const which = process.argv[2]
  if (!which || which === 'layout') console.log('layout', await benchLayout())
  if (!which || which === 'stream') console.log('stream', await benchAiStream())
  if (!which || which === 'queue')
    for (const workers of AI_BENCH.workers) console.log('queue', await benchAiQueue(workers))
  process.exit(0)
}
