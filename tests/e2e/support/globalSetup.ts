/**
 * Builds the client and starts the real server (PGlite in a fresh temp dir, free port); its URL
 * reaches the tests through DRAWBRIDGE_URL. Returns the teardown that stops it (SIGTERM).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

function buildClient(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'client/node_modules/vite/bin/vite.js'), 'build'], {
    cwd: join(ROOT, 'client'),
    stdio: 'inherit',
  })
  if (result.status !== 0) throw new Error('client build failed')
}

function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(ROOT, 'server'),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // Every browser context connects from 127.0.0.1.
      WS_CONNECTS_PER_MINUTE: '100000',
      ROOMS_PER_HOUR: '100000',
      AI_PLANNER_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const line = buffered.split('\n').find((candidate) => candidate.includes('"msg":"listening"'))
      if (line) resolve({ url: (JSON.parse(line) as { url: string }).url, child })
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1)
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

export default async function globalSetup() {
  buildClient()
  const dataDir = mkdtempSync(join(tmpdir(), 'drawbridge-e2e-'))
  const { url, child } = await startServer(dataDir)
  process.env.DRAWBRIDGE_URL = url
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }
}
