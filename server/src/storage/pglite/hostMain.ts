/**
 * The PGlite host process: owns the embedded database so its work (seconds for a multi-megabyte
 * row) never runs on the server's event loop. Its main thread only claims the data directory and
 * relays messages between the server (IPC) and the database thread (`hostWorker.ts`), so it reads
 * what the server sends at once, even while a long statement runs. What it has received it
 * finishes even if the server dies: on disconnect the database thread completes every request,
 * closes the database, and the process exits — an update the server handed over is stored
 * although the server was SIGKILLed. Started by `pgliteClient.ts`.
 */
import { mkdir } from 'node:fs/promises'
import { Worker } from 'node:worker_threads'
import { claimDataDir } from './dataDirClaim'
import type { HostError, HostReply, WorkerRequest } from './hostProtocol'

/** How long a new host waits for the host of a stopped server to finish its writes. */
const ORPHAN_WAIT_MS = 120_000

function send(reply: HostReply): void {
  if (process.connected) process.send?.(reply)
}

async function claim(directory: string): Promise<() => Promise<void>> {
  if (directory.startsWith('memory://')) return async () => {}
  await mkdir(directory, { recursive: true })
  return claimDataDir(directory, ORPHAN_WAIT_MS)
}

async function main(directory: string): Promise<void> {
  const release = await claim(directory)
  const database = new Worker(new URL('./workerEntry.mjs', import.meta.url), {
    workerData: directory,
    execArgv: [],
  })
  const exit = async (code: number) => {
    await release()
    process.exit(code)
  }
  database.on('message', (reply: HostReply) => {
    if ('closed' in reply) return void exit(0)
    send(reply)
    if ('ready' in reply && !reply.ready) void exit(1)
  })
  database.on('error', (error) => {
    send({ ready: false, error: { message: error.message } })
    void exit(1)
  })
  database.on('exit', (code) => void exit(code === 0 ? 0 : 1))
  process.on('message', (request: WorkerRequest) => database.postMessage(request))
  // The server is gone (stopped, crashed or killed): finish what it sent, then go.
  const drain = () => database.postMessage({ op: 'drain' } satisfies WorkerRequest)
  process.on('disconnect', drain)
  process.on('SIGTERM', drain)
  process.on('SIGINT', () => {}) // Ctrl+C reaches the whole group: the server decides when we stop.
}

const directory = process.argv[2]
if (!directory) throw new Error('usage: hostEntry.mjs <data directory | memory://>')
main(directory).catch((error: unknown) => {
  const reported: HostError = { message: error instanceof Error ? error.message : String(error) }
  send({ ready: false, error: reported })
  process.exit(1)
})
