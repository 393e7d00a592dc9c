/**
 * A database outage, made with a TCP proxy the test controls between the server and Postgres:
 * rooms stay live, writes wait in a bounded buffer, /healthz says degraded, a room past its
 * buffer refuses new writes (1013) instead of dropping any, and everything lands afterwards.
 */

import { openStorage } from '@drawbridge/server'
import { CloseCode, readRecords } from '@drawbridge/shared'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { createTestDatabase } from './support/databases'
import { addRectangles } from './support/records'
import { startTestServer, testConfig } from './support/servers'
import { buildStoredRecords } from './support/storedRecords'
import { startTcpProxy } from './support/tcpProxy'

describe('database outage', () => {
  it('keeps rooms live, bounds what waits, and loses nothing once the database is back', async () => {
    const database = await createTestDatabase('postgres')
    const proxy = await startTcpProxy(database.env.DATABASE_URL!)
    const server = await startTestServer(database, {
      DATABASE_URL: proxy.url,
      MAX_PENDING_WRITE_BYTES: '20000',
    })
    try {
      const room = await createRoom(server.url)
      const alice = await connectSynced(server.url, room.links.edit.id)
      const bob = await connectSynced(server.url, room.links.edit.id)
      const closeCodes: number[] = []
      alice.on('connection-close', (event: CloseEvent | null) => {
        if (event) closeCodes.push(event.code)
      })

      proxy.cut()
      const during = addRectangles(alice.doc, 3, 'during the outage')
      await waitFor(
        () => during.every((id) => readRecords(bob.doc).has(id)),
        'edits still flow between clients',
      )
      await waitFor(async () => (await fetch(`${server.url}/healthz`)).status === 503, 'health says degraded')
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>
      expect(health).toMatchObject({ ok: false, status: 'degraded', db: 'unreachable' })
      expect(health.pendingWriteBytes).toBeGreaterThan(0)

      // Past the room's buffer: the next write is refused and the writer told to try again later.
      addRectangles(alice.doc, 1, 'x'.repeat(30_000))
      const [refused] = addRectangles(alice.doc, 1, 'over the limit')
      await waitFor(() => closeCodes.includes(CloseCode.TryAgainLater), 'alice is told to try again later')
      expect(readRecords(alice.doc).has(refused!)).toBe(true) // kept on her side

      proxy.restore()
      await waitFor(
        async () => (await fetch(`${server.url}/healthz`)).status === 200,
        'healthy again',
        20_000,
      )
      await waitFor(
        () => readRecords(bob.doc).has(refused!),
        'the refused edit arrives after reconnecting',
        20_000,
      )
      const everything = [...readRecords(alice.doc).keys()]
      const storage = await openStorage(testConfig(database).storage, pino({ level: 'silent' }))
      try {
        await waitFor(
          async () => {
            const stored = buildStoredRecords(await storage.documents.load(room.roomId))
            return everything.every((id) => stored.has(id))
          },
          'every edit is in Postgres',
          20_000,
        )
      } finally {
        await storage.close()
      }
      destroyAll([alice, bob])
    } finally {
      await server.stop()
      await proxy.close()
      await database.drop()
    }
  })
})
