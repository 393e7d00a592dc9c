/**
 * HTTP probes as an attacker sends them: malformed %-escapes (API and socket paths), the API
 * during a database outage, socket.io's own answers, source maps, and `/metrics`. Each gets a
 * deliberate answer — never a 500, a crash, or more than it should reveal.
 */

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningServer } from '@drawbridge/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createRoom, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'
import { startTcpProxy } from './support/tcpProxy'

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
}

function expectSecurityHeaders(response: Response): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name)).toBe(value)
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
}

/** The HTTP status a WebSocket upgrade to `url` is answered with (101 when it opens). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('error', reject)
  })
}

describe('HTTP probes', () => {
  let database: TestDatabase
  let clientDir: string
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    // A built client as production has it: bundles with their (hidden) source maps beside them.
    clientDir = await mkdtemp(join(tmpdir(), 'drawbridge-client-'))
    await mkdir(join(clientDir, 'assets'))
    await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>Drawbridge</title>')
    await writeFile(join(clientDir, 'assets', 'index-abc123.js'), 'console.log("app")')
    await writeFile(join(clientDir, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["secret.ts"]}')
    server = await startTestServer(database, { CLIENT_DIR: clientDir })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
    await rm(clientDir, { recursive: true, force: true })
  })

  it('a malformed %-escape in an API path is a 400, and in a socket path refused without harm', async () => {
    for (const path of ['/api/links/%E0%A4%A/versions', '/api/links/%zz', '/api/assets/%/x']) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status).toBe(400)
      expect(await response.json()).toEqual({ error: 'The request path has a malformed %-escape.' })
    }
    expect(await upgradeStatus(`${server.url.replace(/^http/, 'ws')}/yjs/%E0%A4%A`)).toBe(400)
    // Still serving (the socket path's URIError used to be an unhandled rejection).
    const room = await createRoom(server.url)
    expect(await upgradeStatus(`${server.url.replace(/^http/, 'ws')}/yjs/${room.links.edit.id}`)).toBe(101)
  })

  it("socket.io's own answers carry the security headers", async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)
    expect(handshake.status).toBe(200)
    expectSecurityHeaders(handshake)
    const refused = await fetch(`${server.url}/socket.io/?EIO=4&transport=nonsense`)
    expect(refused.status).toBe(400)
    expectSecurityHeaders(refused)
  })

  it('serves the bundles but never their source maps', async () => {
    const bundle = await fetch(`${server.url}/assets/index-abc123.js`)
    expect(bundle.status).toBe(200)
    expect(await bundle.text()).toBe('console.log("app")')
    for (const path of [
      '/assets/index-abc123.js.map',
      '/assets/index-abc123.js.MAP',
      '/assets/%69ndex-abc123.js.map',
    ]) {
      const map = await fetch(`${server.url}${path}`)
      expect(map.status).toBe(404)
      expect(await map.text()).not.toContain('secret.ts')
    }
  })

  it('without METRICS_TOKEN, /metrics answers loopback clients only (a forwarded client is refused)', async () => {
    const behindProxy = await startTestServer(database, { TRUST_PROXY: 'true' })
    try {
      expect((await fetch(`${behindProxy.url}/metrics`)).status).toBe(200)
      const forwarded = await fetch(`${behindProxy.url}/metrics`, {
        headers: { 'x-forwarded-for': '203.0.113.7' },
      })
      expect(forwarded.status).toBe(403)
      expect(await forwarded.text()).not.toContain('drawbridge_')
    } finally {
      await behindProxy.stop()
    }
  })

  it('with METRICS_TOKEN, /metrics needs it as a bearer token', async () => {
    const token = 'metrics-token-for-the-test-0123456789'
    const guarded = await startTestServer(database, { METRICS_TOKEN: token })
    try {
      const none = await fetch(`${guarded.url}/metrics`)
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
      const wrong = await fetch(`${guarded.url}/metrics`, {
        headers: { authorization: 'Bearer not-the-token' },
      })
      expect(wrong.status).toBe(401)
      const right = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      expect(right.status).toBe(200)
      expect(await right.text()).toContain('drawbridge_')
    } finally {
      await guarded.stop()
    }
  })
})

describe('the API during a database outage', () => {
  it('GET /api/links/<id> answers 503 with Retry-After (not 500), and 200 once the database is back', async () => {
    const database = await createTestDatabase('postgres')
    const proxy = await startTcpProxy(database.env.DATABASE_URL!)
    const server = await startTestServer(database, { DATABASE_URL: proxy.url })
    try {
      const room = await createRoom(server.url)
      proxy.cut()
      // As in the outage test: let the server see the outage before asking it for a link.
      await waitFor(async () => (await fetch(`${server.url}/healthz`)).status === 503, 'health says degraded')
      const during = await fetch(`${server.url}/api/links/${room.links.edit.id}`)
      expect(during.status).toBe(503)
      expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(await during.json()).toEqual({ error: 'The database is unreachable; try again shortly.' })
      proxy.restore()
      const after = await fetch(`${server.url}/api/links/${room.links.edit.id}`)
      expect(after.status).toBe(200)
    } finally {
      await server.stop()
      await proxy.close()
      await database.drop()
    }
  })
})
