/**
 * Real Drawbridge servers for tests: in-process (fast restarts) or as a child process (signals).
 * Both listen on a free port and talk to a fresh database from `databases.ts`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Config, createLogger, loadConfig, type RunningServer, startServer } from '@drawbridge/server'
import type { TestDatabase } from './databases'

export const SERVER_DIR = fileURLToPath(new URL('../../../server/', import.meta.url))

/** Every test client comes from 127.0.0.1: per-IP limits are raised unless a test is about them. */
const GENEROUS_LIMITS = {
  WS_CONNECTS_PER_MINUTE: '1000000',
  ROOMS_PER_HOUR: '1000000',
  AI_PLANNER_PER_MINUTE: '1000000',
  AI_ANON_IP_PER_HOUR: '1000000',
  AI_ANON_IP_PER_DAY: '1000000',
}

export function testConfig(database: TestDatabase, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...GENEROUS_LIMITS,
    ...database.env,
    ...overrides,
  })
}

export function startTestServer(
  database: TestDatabase,
  overrides: Record<string, string> = {},
): Promise<RunningServer> {
  const config = testConfig(database, overrides)
  return startServer(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'))
}

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>
}

/** Starts `server/src/main.ts` as a child process and waits for its "listening" log line. */
export async function spawnServer(
  database: TestDatabase,
  overrides: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...GENEROUS_LIMITS,
      ...database.env,
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      for (const line of buffered.split('\n')) {
        if (line.includes('"msg":"listening"')) resolve((JSON.parse(line) as { url: string }).url)
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1)
    })
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)))
  })
  return { url, child, exited }
}
