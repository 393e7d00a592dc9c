/**
 * The servers under test, as child processes on free loopback ports: ours (via the integration
 * helpers' `spawnServer`, on a fresh database) and the reference `@y/websocket-server` (in memory).
 * Every handle stops its process and drops its database; nothing outlives the run.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Backend, createTestDatabase, type TestDatabase } from '../../integration/support/databases'
import { spawnServer } from '../../integration/support/servers'

export const TESTS_DIR = fileURLToPath(new URL('../../', import.meta.url))
const STOP_TIMEOUT_MS = 35_000

export interface BenchServer {
  url: string
  pid: number
  /** SIGTERM, wait for exit (SIGKILL after a timeout). Keeps the database. */
  stop(): Promise<void>
}

export interface OurServer extends BenchServer {
  database: TestDatabase
  /** The server's JSON log lines (stdout), for timings it logs. */
  onLog(listener: (line: string) => void): void
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
  live.delete(child)
}

/** Starts our server (`server/src/main.ts`) on `database`, e.g. again after a stop. */
export async function startOurs(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<OurServer> {
  const server = await spawnServer(database, env)
  live.add(server.child)
  return {
    url: server.url,
    pid: server.child.pid!,
    database,
    onLog(listener) {
      let buffered = ''
      server.child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8')
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) listener(line)
      })
    },
    stop: () => stopChild(server.child, server.exited),
  }
}

/** A fresh database and our server on it; `dispose` stops the server and drops the database. */
export async function withOurs<T>(
  backend: Backend,
  env: Record<string, string>,
  use: (server: OurServer) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(backend)
  let server: OurServer | undefined
  try {
    server = await startOurs(database, env)
    return await use(server)
  } finally {
    await server?.stop()
    await database.drop()
  }
}

/** Starts `referenceServer.ts` (stock `@y/websocket-server` 0.1.1, in memory). */
export async function startReference(nodeArgs: string[] = []): Promise<BenchServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/referenceServer.ts'], {
    cwd: TESTS_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  live.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const match = buffered.match(/^listening (http:\/\/\S+)$/m)
      if (match) resolve(match[1]!)
    })
    void exited.then(() => reject(new Error('reference server exited before listening')))
  })
  return { url, pid: child.pid!, stop: () => stopChild(child, exited) }
}
