// The PGlite host process (forked by `../pgliteClient.ts`): owns the embedded database so its work
// (seconds for a multi-megabyte row) never runs on the server's event loop. This main thread only
// relays messages between the server (IPC) and the database thread (`hostWorker.ts`), so it reads
// what the server sends at once, even while a long statement runs. What it has received it
// finishes even if the server dies: on disconnect the database thread completes every request and
// closes the database, then the process exits — an update the server handed over is stored
// although the server was SIGKILLed. Plain JavaScript: a relay needs no TypeScript loader, which
// would cost every server start a few hundred milliseconds. Messages: `hostProtocol.ts`.
import { Worker } from 'node:worker_threads'

const directory = process.argv[2]
if (!directory) throw new Error('usage: hostMain.mjs <data directory | memory://>')

// The server can die between the check and the write: the write's EPIPE then goes to the callback.
// Without one it is an unhandled 'error' that ends this process before it has finished the server's
// writes and released the data directory (seen when a server was SIGKILLed mid-burst).
const ignoreGoneServer = () => {}
const send = (reply) => {
  if (process.connected) process.send(reply, ignoreGoneServer)
}

const database = new Worker(new URL('./workerEntry.mjs', import.meta.url), {
  workerData: directory,
  execArgv: [],
})
database.on('message', (reply) => {
  if (reply.closed) process.exit(0)
  send(reply)
  if (reply.ready === false) process.exit(1)
})
database.on('error', (error) => {
  send({ ready: false, error: { message: error.message } })
  process.exit(1)
})
database.on('exit', (code) => process.exit(code === 0 ? 0 : 1))
process.on('message', (request) => database.postMessage(request))
// The server is gone (stopped, crashed or killed): finish what it sent, then go.
const drain = () => database.postMessage({ op: 'drain' })
process.on('disconnect', drain)
process.on('SIGTERM', drain)
process.on('SIGINT', () => {}) // Ctrl+C reaches the whole group: the server decides when we stop.
