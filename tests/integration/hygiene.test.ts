/**
 * Abuse limits and HTTP hygiene: per-IP limits on new boards and connection attempts (shared
 * between instances through Redis), per-connection message limits (4429), security headers, CORS.
 */
import { CloseCode } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createRoom } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { freshRedisPrefix, TEST_REDIS_URL } from './support/redis'
import { startTestServer } from './support/servers'

const postRoom = (baseUrl: string) =>
  fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })

function attempt(url: string): Promise<{ status?: number; open?: boolean }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_request, response) => resolve({ status: response.statusCode }))
    ws.on('open', () => {
      ws.close()
      resolve({ open: true })
    })
    ws.on('error', () => {})
  })
}

describe('abuse limits and HTTP hygiene', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase('pglite')
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('limits new boards per address, across instances, with Retry-After', async () => {
    const redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix(), ROOMS_PER_HOUR: '2' }
    const pg = await createTestDatabase('postgres')
    const a = await startTestServer(pg, redis)
    const b = await startTestServer(pg, redis)
    try {
      expect((await postRoom(a.url)).status).toBe(201)
      expect((await postRoom(b.url)).status).toBe(201)
      const refused = await postRoom(a.url)
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(((await refused.json()) as { error: string }).error).toMatch(/too many/i)
    } finally {
      await a.stop()
      await b.stop()
      await pg.drop()
    }
  })

  it('limits connection attempts per address and messages per connection', async () => {
    const server = await startTestServer(database, { WS_CONNECTS_PER_MINUTE: '3', MESSAGES_PER_SECOND: '5' })
    try {
      const room = await createRoom(server.url)
      const url = `${server.url.replace(/^http/, 'ws')}/yjs/${room.links.edit.id}`
      const results = []
      for (let i = 0; i < 4; i++) results.push(await attempt(url))
      expect(results).toEqual([{ open: true }, { open: true }, { open: true }, { status: 429 }])
    } finally {
      await server.stop()
    }
    const chatty = await startTestServer(database, { MESSAGES_PER_SECOND: '5' })
    try {
      const room = await createRoom(chatty.url)
      const ws = new WebSocket(`${chatty.url.replace(/^http/, 'ws')}/yjs/${room.links.edit.id}`)
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
      ws.on('open', () => {
        // Query-awareness frames: harmless alone, but 100 at once is far over 5/s with a 50 burst.
        for (let i = 0; i < 100; i++) ws.send(Uint8Array.from([3]))
      })
      expect(await closed).toBe(CloseCode.RateLimited)
    } finally {
      await chatty.stop()
    }
  })

  it('sends security headers and answers CORS only for allowed origins', async () => {
    const server = await startTestServer(database, { CORS_ORIGINS: 'https://intranet.example.com' })
    try {
      for (const path of ['/', '/api/links/nope', '/healthz']) {
        const response = await fetch(`${server.url}${path}`)
        expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      }
      const allowed = await fetch(`${server.url}/healthz`, {
        headers: { origin: 'https://intranet.example.com' },
      })
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://intranet.example.com')
      const other = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://evil.example.com' } })
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
      const preflight = await fetch(`${server.url}/api/rooms`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
      })
      expect(preflight.status).toBe(403)
      const tooBig = await fetch(`${server.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x'.repeat(100_000) }),
      })
      expect(tooBig.status).toBe(413)
      const invalid = await fetch(`${server.url}/api/rooms`, { method: 'POST', body: '{"title": 5}' })
      expect(invalid.status).toBe(400)
      expect(((await invalid.json()) as { error: string }).error).toMatch(/title/)
    } finally {
      await server.stop()
    }
  })
})
