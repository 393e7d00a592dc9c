/**
 * Fan-out latency: `rooms` rooms × `clientsPerRoom` clients, each sending one shape move per second;
 * latency = receive − send at every other client of the room. Runs the same load against the
 * reference server or ours (persisting), with the load split over child processes, and samples server
 * CPU (from /proc) and RSS around the measurement window. Clients are stock y-websocket providers
 * (`loadgen.ts`) or, with `generator: 'lean'`, raw pre-encoded clients (`leanLoadgen.ts`) plus one
 * room of stock providers as a correctness witness (`witness*` figures).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { createRoom } from '../../integration/support/clients'
import type { Backend } from '../../integration/support/databases'
import { freePort, openInspector } from '../lib/inspector'
import {
  childrenCpuMs,
  inBatches,
  machineBusyMs,
  processCpuMs,
  processesCpuMs,
  processRssBytes,
  quantile,
  round,
  sleep,
  wallMs,
} from '../lib/measure'
import { type BenchServer, startReference, TESTS_DIR, withOurs } from '../lib/servers'
import type { LoadgenConfig, LoadgenMessage, LoadgenReport, LoadgenStart } from './protocol'

export interface FanoutOptions {
  rooms: number
  clientsPerRoom: number
  warmupMs: number
  measureMs: number
  loadGenerators: number
  /** `lean`: raw pre-encoded clients, and one extra room of stock clients as a witness. */
  generator?: 'stock' | 'lean'
}

/**
 * Load before the measured window: long enough for V8 to have compiled the servers' hot paths.
 * Ours runs more code per update than the reference (the contract, persistence, access checks), and
 * 5 s in V8's compiler threads were still busy with it: 4× the reference's helper-thread CPU, a
 * tenth of our CPU per delivered update. After 20 s both servers are in their steady state, which is
 * what a server spends per update; `--quick` runs keep short windows and include that warm-up.
 */
export const STEADY_STATE_WARMUP_MS = 20_000

export const FANOUT_DEFAULTS: FanoutOptions = {
  rooms: 50,
  clientsPerRoom: 20,
  warmupMs: STEADY_STATE_WARMUP_MS,
  measureMs: 30_000,
  loadGenerators: 2,
}
const DRAIN_MS = 2_000
/**
 * Stock clients in the witness room. Capped: a witness as big as a 200-editor storm room is a second
 * storm (200 stock providers applying 200 updates/s each saturate a core and double the server's
 * deliveries), which measured the witness, not the load.
 */
const WITNESS_MAX_CLIENTS = 20

interface Loadgen {
  child: ChildProcess
  ready: Promise<void>
  report: Promise<LoadgenReport>
}

function startLoadgen(config: LoadgenConfig, script = 'loadgen.ts'): Loadgen {
  const child = fork(`bench/fanout/${script}`, [JSON.stringify(config)], {
    cwd: TESTS_DIR,
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_LOADGEN_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/lgprof'] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`))),
  )
  const messages = (type: LoadgenMessage['type']) =>
    new Promise<LoadgenMessage>((resolve) => {
      const onMessage = (message: LoadgenMessage) => {
        if (message.type !== type) return
        child.off('message', onMessage)
        resolve(message)
      }
      child.on('message', onMessage)
    })
  exited.catch(() => {})
  return {
    child,
    ready: Promise.race([messages('ready').then(() => undefined), exited]),
    report: Promise.race([messages('done') as Promise<LoadgenReport>, exited]),
  }
}

/** Waits for a load generator to exit by itself (it does after reporting), killing it after 10 s. */
async function stopLoadgen(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

interface WindowHooks {
  /** Every load generator is connected; resolves when the load may start (e.g. a paired run's too). */
  ready?(): Promise<void>
  start?(): Promise<void>
  stop?(): Promise<void>
}

/** Profiles the inspected process between `start` and `stop`, writing a `.cpuprofile` to `file`. */
async function startProfiler(port: number, file: string): Promise<WindowHooks> {
  const session = await openInspector(port)
  await session.call('Profiler.enable')
  return {
    start: async () => void (await session.call('Profiler.start')),
    async stop() {
      const { profile } = (await session.call('Profiler.stop')) as { profile: unknown }
      await writeFile(file, JSON.stringify(profile))
      session.close()
    },
  }
}

/** Runs the load against `servers` (a room's clients spread over them) and measures the window. */
export async function measure(
  servers: BenchServer[],
  rooms: string[],
  seedRooms: boolean,
  options: FanoutOptions,
  hooks?: WindowHooks,
) {
  const pids = servers.map((server) => server.pid)
  const cpuOf = () => pids.reduce((sum, pid) => sum + processCpuMs(pid), 0)
  const rssOf = () => pids.reduce((sum, pid) => sum + processRssBytes(pid), 0)
  const rssBefore = rssOf()
  const connectStart = wallMs()
  const lean = options.generator === 'lean'
  const baseUrls = servers.map((server) => server.url)
  // Lean: the last room is the witness, driven by stock clients in a generator of its own.
  const loadRooms = lean ? rooms.slice(0, -1) : rooms
  const sendsPerClient = Math.ceil((options.warmupMs + options.measureMs) / 1000) + 3
  const loadgens = Array.from({ length: options.loadGenerators }, (_, g) =>
    startLoadgen(
      {
        baseUrls,
        rooms: loadRooms.filter((_, i) => i % options.loadGenerators === g),
        clientsPerRoom: options.clientsPerRoom,
        seedRooms,
        sendsPerClient,
      },
      lean ? 'leanLoadgen.ts' : 'loadgen.ts',
    ),
  )
  const witnessClients = Math.min(options.clientsPerRoom, WITNESS_MAX_CLIENTS)
  const witness = lean
    ? startLoadgen({ baseUrls, rooms: rooms.slice(-1), clientsPerRoom: witnessClients, seedRooms })
    : undefined
  const generators = witness ? [...loadgens, witness] : loadgens
  try {
    await Promise.all(generators.map((loadgen) => loadgen.ready))
    const connectSeconds = (wallMs() - connectStart) / 1000
    await hooks?.ready?.()
    const start: LoadgenStart = {
      type: 'start',
      startAt: wallMs() + 500,
      warmupMs: options.warmupMs,
      measureMs: options.measureMs,
      drainMs: DRAIN_MS,
    }
    for (const loadgen of generators) loadgen.child.send(start)
    await sleep(start.startAt + start.warmupMs - wallMs())
    await hooks?.start?.()
    const cpuBefore = cpuOf()
    const postgresBefore = processesCpuMs('postgres')
    const childrenOf = () => pids.reduce((sum, pid) => sum + childrenCpuMs(pid), 0)
    const childrenBefore = childrenOf()
    const machineBefore = machineBusyMs()
    await sleep(start.measureMs)
    const postgresCpuPct = ((processesCpuMs('postgres') - postgresBefore) / start.measureMs) * 100
    // The servers' own child processes: PGlite's host, the embedded database.
    const embeddedCpuPct = ((childrenOf() - childrenBefore) / start.measureMs) * 100
    const machineCpuPct = ((machineBusyMs() - machineBefore) / start.measureMs) * 100
    await hooks?.stop?.()
    const serverCpuPct = ((cpuOf() - cpuBefore) / start.measureMs) * 100
    const rssAfter = rssOf()
    const reports = await Promise.all(loadgens.map((loadgen) => loadgen.report))
    const witnessReport = await witness?.report
    const all = latencies(reports)
    const witnessAll = witnessReport ? latencies([witnessReport]) : undefined
    const sent = reports.reduce((n, r) => n + r.sent, 0)
    const witnessSent = witnessReport?.sent ?? 0
    const deliveries = all.length + (witnessAll?.length ?? 0)
    const loadgenCpuPct = reports.reduce((n, r) => n + (r.cpuMs / r.windowMs) * 100, 0)
    const witnessCpuPct = witnessReport ? (witnessReport.cpuMs / witnessReport.windowMs) * 100 : 0
    const expected = sent * (options.clientsPerRoom - 1)
    return {
      p50Ms: round(quantile(all, 0.5)),
      p95Ms: round(quantile(all, 0.95)),
      p99Ms: round(quantile(all, 0.99)),
      maxMs: round(quantile(all, 1)),
      samples: all.length,
      deliveredPct: round((all.length / Math.max(1, expected)) * 100, 1),
      updatesPerSecond: round(sent / (options.measureMs / 1000), 0),
      serverCpuPct: round(serverCpuPct, 0),
      /** Server CPU per update delivered to a client, in µs (compare ours ÷ reference). */
      serverCpuUsPerDelivery: round(
        ((serverCpuPct / 100) * start.measureMs * 1000) / Math.max(1, deliveries),
        1,
      ),
      postgresCpuPct: round(postgresCpuPct, 0),
      /** CPU of the servers' child processes (PGlite's host), part of the database's work. */
      embeddedDbCpuPct: round(embeddedCpuPct, 0),
      /** Server and database CPU per delivered update, µs: what persisting costs in all. */
      withDatabaseCpuUsPerDelivery: round(
        (((serverCpuPct + postgresCpuPct + embeddedCpuPct) / 100) * start.measureMs * 1000) /
          Math.max(1, deliveries),
        1,
      ),
      loadgenCpuPct: round(loadgenCpuPct, 0),
      /** Busy CPU of everything else on the machine: other users' work skews latency. */
      otherCpuPct: round(
        machineCpuPct - serverCpuPct - postgresCpuPct - embeddedCpuPct - loadgenCpuPct - witnessCpuPct,
        0,
      ),
      loadgenLoopDelayP99Ms: round(Math.max(...reports.map((r) => r.loopDelayP99Ms))),
      serverRssMB: round(rssAfter / 2 ** 20, 1),
      rssPerRoomKB: round((rssAfter - rssBefore) / 1024 / rooms.length, 0),
      connectSeconds: round(connectSeconds, 1),
      ...(witnessAll
        ? {
            witnessP50Ms: round(quantile(witnessAll, 0.5)),
            witnessP99Ms: round(quantile(witnessAll, 0.99)),
            witnessDeliveredPct: round(
              (witnessAll.length / Math.max(1, witnessSent * (witnessClients - 1))) * 100,
              1,
            ),
          }
        : {}),
    }
  } finally {
    await Promise.all(generators.map((loadgen) => stopLoadgen(loadgen.child)))
  }
}

/** All reports' latency samples, sorted ascending. */
function latencies(reports: LoadgenReport[]): Float64Array {
  const all = new Float64Array(
    reports.reduce((n, r) => n + Buffer.from(r.samples, 'base64').byteLength / 8, 0),
  )
  let offset = 0
  for (const report of reports) {
    const bytes = Buffer.from(report.samples, 'base64')
    const part = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8)
    all.set(part, offset)
    offset += part.length
  }
  return all.sort()
}

export type FanoutResult = Awaited<ReturnType<typeof measure>>

/** Rooms to create: the load's, plus the witness room of the lean generator. */
export const roomCount = (options: FanoutOptions): number =>
  options.rooms + (options.generator === 'lean' ? 1 : 0)

/** The reference server, in memory. */
export async function benchFanoutReference(options = FANOUT_DEFAULTS): Promise<FanoutResult> {
  // BENCH_REFERENCE_PROF=<file>: CPU profile of the reference over the measurement window.
  const profileFile = process.env.BENCH_REFERENCE_PROF
  const inspectorPort = profileFile ? await freePort() : 0
  const server = await startReference(profileFile ? [`--inspect=127.0.0.1:${inspectorPort}`] : [])
  try {
    const rooms = Array.from({ length: roomCount(options) }, (_, i) => `bench-room-${i}`)
    const profiler = profileFile ? await startProfiler(inspectorPort, profileFile) : undefined
    return await measure([server], rooms, true, options, profiler)
  } finally {
    await server.stop()
  }
}

/** Our server, persisting to a fresh database on `backend`. */
export async function benchFanoutOurs(backend: Backend, options = FANOUT_DEFAULTS): Promise<FanoutResult> {
  // BENCH_SERVER_PROF=<file>: CPU profile of our server over the measurement window.
  const profileFile = process.env.BENCH_SERVER_PROF
  const inspectorPort = profileFile ? await freePort() : 0
  const env: Record<string, string> = profileFile
    ? { NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}` }
    : {}
  return withOurs(backend, env, async (server) => {
    const created = await inBatches(
      Array.from({ length: roomCount(options) }, (_, i) => i),
      10,
      (i) => createRoom(server.url, `fan-out ${i}`),
    )
    const profiler = profileFile ? await startProfiler(inspectorPort, profileFile) : undefined
    return measure(
      [server],
      created.map((room) => room.links.edit.id),
      false,
      options,
      profiler,
    )
  })
}
