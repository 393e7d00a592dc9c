/**
 * The Postgres driver survives a connection cut under it. postgres.js 3.4.9 schedules small writes
 * with setImmediate and, if the socket closed meanwhile, threw from that callback: an uncaught
 * exception that ended the server (porsager/postgres#1154, #1208). `patches/postgres@3.4.9.patch`
 * settles the waiting query with CONNECTION_CLOSED instead; this test fails without it.
 */
import net from 'node:net'
import postgres from 'postgres'
import { afterEach, describe, expect, it } from 'vitest'
import { TEST_DATABASE_URL } from './support/databases'

/** A TCP proxy to the test Postgres whose connections can be cut, like a network blip. */
async function cuttableProxy() {
  const target = new URL(TEST_DATABASE_URL)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  const url = new URL(TEST_DATABASE_URL)
  url.host = `127.0.0.1:${port}`
  return {
    url: url.toString(),
    cut: () => {
      for (const socket of sockets) socket.destroy()
      sockets.clear()
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const uncaught: unknown[] = []
const recordUncaught = (error: unknown) => uncaught.push(error)

afterEach(() => {
  process.off('uncaughtException', recordUncaught)
})

describe('postgres.js under a cut connection', () => {
  it('refuses a query on a connection whose socket is gone instead of crashing the process', async () => {
    process.on('uncaughtException', recordUncaught)
    const proxy = await cuttableProxy()
    const sql = postgres(proxy.url, { max: 2, onnotice: () => {} })
    try {
      const reserved = await sql.reserve()
      await reserved`select 1`
      proxy.cut()
      await new Promise((resolve) => setTimeout(resolve, 100))
      const outcome = await Promise.race([
        reserved`select 2`.then(
          () => 'answered',
          (error: { code?: string }) => error.code,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000)),
      ])
      expect(outcome).toBe('CONNECTION_CLOSED')
      expect(uncaught).toEqual([])
      // The pool still serves new queries once the network is back.
      expect(await sql`select 3 as n`).toEqual([{ n: 3 }])
    } finally {
      await sql.end({ timeout: 1 })
      await proxy.close()
    }
  })
})
