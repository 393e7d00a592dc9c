/**
 * Reaching into a server child from outside: it runs with `--inspect` on a loopback port we chose
 * (NODE_OPTIONS), and we speak the DevTools protocol to it — a forced full GC for the memory
 * benchmark, a CPU profile for the fan-out one — without changing the server or its start-up helper.
 */
import { createServer } from 'node:net'
import WebSocket from 'ws'

/** A free loopback TCP port (released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export interface InspectorSession {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>
  close(): void
}

/** A DevTools-protocol session with the process whose inspector listens on `port`. */
export async function openInspector(port: number): Promise<InspectorSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    webSocketDebuggerUrl: string
  }>
  const target = targets[0]
  if (!target) throw new Error('no inspector target')
  const socket = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const pending = new Map<number, (result: unknown) => void>()
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown }
    if (message.id !== undefined) pending.get(message.id)?.(message.result)
  })
  let nextId = 1
  return {
    call(method, params = {}) {
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, method, params }))
      })
    },
    close: () => socket.close(),
  }
}

/** Runs a full garbage collection (twice, so finalizers' garbage goes too) in the inspected process. */
export async function collectGarbage(port: number): Promise<void> {
  const session = await openInspector(port)
  try {
    await session.call('HeapProfiler.collectGarbage')
    await session.call('HeapProfiler.collectGarbage')
  } finally {
    session.close()
  }
}
