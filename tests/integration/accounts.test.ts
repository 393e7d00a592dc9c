/**
 * Supabase Auth on the server: JWTs verified with jose (signature, expiry, audience), boards of a
 * signed-in user, private boards that admit only members, and removal that disconnects at once.
 */
import { randomUUID } from 'node:crypto'
import type { RunningServer } from '@drawbridge/server'
import { CloseCode, readRecords } from '@drawbridge/shared'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { destroyAll, synced, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

const SECRET = 'test-jwt-secret-of-at-least-32-characters'

function token(
  claims: { sub: string; email?: string },
  options: { secret?: string; audience?: string; expiresIn?: string } = {},
) {
  return new SignJWT({ ...claims, role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setAudience(options.audience ?? 'authenticated')
    .setIssuer('https://project.supabase.co/auth/v1')
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? SECRET))
}

describe('accounts and private boards', () => {
  let database: TestDatabase
  let server: RunningServer
  const ada = { sub: randomUUID(), email: 'ada@example.com' }
  const bob = { sub: randomUUID(), email: 'bob@example.com' }
  const eve = { sub: randomUUID(), email: 'eve@example.com' }
  const api = async (path: string, init: RequestInit & { as?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.as ? { authorization: `Bearer ${init.as}` } : {}),
      },
    })
  const upgradeStatus = (linkId: string, jwt?: string) =>
    new Promise<number | 'open'>((resolve) => {
      const query = jwt ? `?token=${jwt}` : ''
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/yjs/${linkId}${query}`)
      ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      ws.on('open', () => {
        ws.close()
        resolve('open')
      })
      ws.on('error', () => {})
    })
  const provider = (linkId: string, jwt: string) =>
    new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/yjs`, linkId, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params: { token: jwt },
    })

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    server = await startTestServer(database, {
      SUPABASE_JWT_SECRET: SECRET,
      SUPABASE_URL: 'https://project.supabase.co',
      SUPABASE_ANON_KEY: 'anon-key',
      TLDRAW_LICENSE_KEY: 'tldraw-key-set-at-run-time',
    })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('refuses forged, expired and wrong-audience tokens on HTTP and on the socket', async () => {
    const room = (await (await api('/api/rooms', { method: 'POST', body: '{}' })).json()) as {
      links: { edit: { id: string } }
    }
    const bad = [
      await token(ada, { secret: 'another-secret-another-secret-12345' }),
      await token(ada, { expiresIn: '-1m' }),
      await token(ada, { audience: 'someone-else' }),
      'not.a.jwt',
    ]
    for (const jwt of bad) {
      expect((await api('/api/me/rooms', { as: jwt })).status).toBe(401)
      expect(await upgradeStatus(room.links.edit.id, jwt)).toBe(401)
    }
    expect(await upgradeStatus(room.links.edit.id)).toBe('open') // anonymous still works on public boards
    const config = (await (await api('/api/config')).json()) as { auth: unknown; tldrawLicenseKey: unknown }
    expect(config.auth).toEqual({ supabaseUrl: 'https://project.supabase.co', supabaseAnonKey: 'anon-key' })
    // The container image's client learns the tldraw licence key at run time, not only at build time.
    expect(config.tldrawLicenseKey).toBe('tldraw-key-set-at-run-time')
  })

  it('keeps a private board to its members and disconnects a removed one at once', async () => {
    const adaJwt = await token(ada)
    const bobJwt = await token(bob)
    const eveJwt = await token(eve)
    expect((await api('/api/rooms', { method: 'POST', body: '{"private":true}' })).status).toBe(401)
    const created = await api('/api/rooms', {
      method: 'POST',
      body: '{"title":"Secret plans","private":true}',
      as: adaJwt,
    })
    expect(created.status).toBe(201)
    const room = (await created.json()) as {
      roomId: string
      links: { edit: { id: string }; view: { id: string } }
    }

    expect((await api(`/api/links/${room.links.edit.id}`)).status).toBe(401)
    expect((await api(`/api/links/${room.links.edit.id}`, { as: eveJwt })).status).toBe(403)
    expect(await upgradeStatus(room.links.edit.id)).toBe(401)
    expect(await upgradeStatus(room.links.edit.id, eveJwt)).toBe(403)
    expect(await upgradeStatus(room.links.edit.id, adaJwt)).toBe('open')

    const invited = await api(`/api/rooms/${room.roomId}/members`, {
      method: 'POST',
      body: JSON.stringify({ email: 'Bob@Example.com', role: 'editor' }),
      as: adaJwt,
    })
    expect(invited.status).toBe(201)
    const member = (await invited.json()) as { id: string }
    expect(
      (
        await api(`/api/rooms/${room.roomId}/members`, {
          method: 'POST',
          body: '{"email":"x@y.z","role":"editor"}',
          as: bobJwt,
        })
      ).status,
    ).toBe(403)

    const bobsClient = provider(room.links.edit.id, bobJwt)
    await synced(bobsClient)
    expect(readRecords(bobsClient.doc).size).toBe(2)
    const adaBoards = (await (await api('/api/me/rooms', { as: adaJwt })).json()) as {
      rooms: Array<{ roomId: string; role: string }>
    }
    const bobBoards = (await (await api('/api/me/rooms', { as: bobJwt })).json()) as {
      rooms: Array<{ roomId: string; role: string }>
    }
    expect(adaBoards.rooms).toContainEqual(expect.objectContaining({ roomId: room.roomId, role: 'owner' }))
    expect(bobBoards.rooms).toContainEqual(expect.objectContaining({ roomId: room.roomId, role: 'editor' }))

    const codes: number[] = []
    bobsClient.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code)
    })
    expect(
      (await api(`/api/rooms/${room.roomId}/members/${member.id}`, { method: 'DELETE', as: adaJwt })).status,
    ).toBe(204)
    await waitFor(() => codes.includes(CloseCode.Forbidden), 'removed member disconnected', 1_000)
    expect(await upgradeStatus(room.links.edit.id, bobJwt)).toBe(403)
    destroyAll([bobsClient])
  })

  it('keeps a viewer member a viewer even on an edit link', async () => {
    const adaJwt = await token(ada)
    const room = (await (
      await api('/api/rooms', { method: 'POST', body: '{"private":true}', as: adaJwt })
    ).json()) as { roomId: string; links: { edit: { id: string } } }
    await api(`/api/rooms/${room.roomId}/members`, {
      method: 'POST',
      body: JSON.stringify({ email: eve.email, role: 'viewer' }),
      as: adaJwt,
    })
    const seen = (await (await api(`/api/links/${room.links.edit.id}`, { as: await token(eve) })).json()) as {
      role: string
    }
    expect(seen.role).toBe('viewer')
  })
})
