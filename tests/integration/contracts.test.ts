/**
 * The REST API answers exactly its shared contracts (`shared/src/protocol/`): every reply a client
 * parses is checked against its schema — nothing missing, nothing the contract does not name — and
 * refusals are the one error shape. A route that drifts from what the client reads fails here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningServer } from '@drawbridge/server'
import {
  ApiError,
  AssetUploadReply,
  ConfigReply,
  type Contract,
  CreateRoomReply,
  HealthReply,
  ImportReply,
  LinkInfoReply,
  Member,
  MembersReply,
  MyRoomsReply,
  OWNER_KEY_HEADER,
  RestoreReply,
  RoomAdminReply,
  ShareLink,
  UNMAPPED_HEADER,
  UpdateRoomReply,
  UsageReply,
  Version,
  VersionRecordsReply,
  VersionsReply,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { png } from './support/mediaFiles'
import { AUTH_ENV, type Person, signIn } from './support/people'
import { startTestServer } from './support/servers'

/** The body of `response`, which must have `status` and be exactly what `contract` describes. */
async function replyOf<T>(response: Response, status: number, contract: Contract<T>): Promise<T> {
  const body: unknown = await response.json()
  expect({ status: response.status, body }).toEqual({ status, body: expect.anything() })
  const parsed = contract.safeParse(body)
  expect(parsed.error?.issues ?? []).toEqual([])
  // Parsing drops what the schema does not name: equal means the server sent nothing else.
  expect(parsed.data).toEqual(body)
  return parsed.data as T
}

describe('REST replies are the shared contracts', () => {
  let database: TestDatabase
  let server: RunningServer
  let ada: Person
  const call = (path: string, init: RequestInit & { as?: Person; ownerKey?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.as ? { authorization: `Bearer ${init.as.jwt}` } : {}),
        ...(init.ownerKey ? { [OWNER_KEY_HEADER]: init.ownerKey } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    })
  const post = (path: string, body: unknown, init: { as?: Person; ownerKey?: string } = {}) =>
    call(path, { ...init, method: 'POST', body: JSON.stringify(body) })

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    // 8 KiB files at most: the fixture's 10 KB embedded image is refused and listed as skipped.
    server = await startTestServer(database, {
      ...AUTH_ENV,
      SUPABASE_ANON_KEY: 'anon-key',
      MAX_IMPORT_BYTES: '200000',
      MAX_ASSET_BYTES: '8192',
    })
    ada = await signIn('ada')
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('config, health, and refusals in the one error shape', async () => {
    const config = await replyOf(await call('/api/config'), 200, ConfigReply)
    expect(config.auth).toEqual({ supabaseUrl: AUTH_ENV.SUPABASE_URL, supabaseAnonKey: 'anon-key' })
    expect(config.limits.maxAssetBytes).toBe(8192)
    await replyOf(await call('/healthz'), 200, HealthReply)
    await replyOf(await call('/api/nothing-here'), 404, ApiError)
    await replyOf(await call('/api/links/not-a-link'), 404, ApiError)
    await replyOf(await post('/api/rooms', { title: 7 }), 400, ApiError)
    await replyOf(await call('/api/rooms', { method: 'PUT' }), 405, ApiError)
  })

  it('a room, its links and its owner controls', async () => {
    const room = await replyOf(await post('/api/rooms', { title: 'Contracts' }), 201, CreateRoomReply)
    const info = await replyOf(await call(`/api/links/${room.links.view.id}`), 200, LinkInfoReply)
    expect(info).toEqual({
      roomId: room.roomId,
      role: 'viewer',
      title: 'Contracts',
      private: false,
      owner: false,
    })
    const ownerKey = room.ownerKey
    const admin = await replyOf(await call(`/api/rooms/${room.roomId}`, { ownerKey }), 200, RoomAdminReply)
    expect(admin.links).toHaveLength(2)
    const renamed = await replyOf(
      await call(`/api/rooms/${room.roomId}`, {
        ownerKey,
        method: 'PATCH',
        body: JSON.stringify({ title: 'B' }),
      }),
      200,
      UpdateRoomReply,
    )
    expect(renamed.title).toBe('B')
    const linkPath = `/api/rooms/${room.roomId}/links/${room.links.view.id}`
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString()
    const updated = await replyOf(
      await call(linkPath, { ownerKey, method: 'PATCH', body: JSON.stringify({ expiresAt }) }),
      200,
      ShareLink,
    )
    expect(updated.expiresAt).toBe(expiresAt)
    const rotated = await replyOf(await post(`${linkPath}/rotate`, {}, { ownerKey }), 200, ShareLink)
    expect(rotated.id).not.toBe(room.links.view.id)
    await replyOf(await call(`/api/rooms/${room.roomId}`, { ownerKey: 'wrong' }), 403, ApiError)
    await replyOf(
      await call(`/api/rooms/${room.roomId}`, { ownerKey, method: 'PATCH', body: '{}' }),
      400,
      ApiError,
    )
    const deleted = await call(`/api/rooms/${room.roomId}`, { ownerKey, method: 'DELETE' })
    expect(deleted.status).toBe(204)
  })

  it('versions: save, list, read, restore', async () => {
    const room = await replyOf(await post('/api/rooms', {}), 201, CreateRoomReply)
    const base = `/api/links/${room.links.edit.id}/versions`
    const saved = await replyOf(await post(base, { name: 'First' }), 201, Version)
    expect(saved.name).toBe('First')
    const listed = await replyOf(await call(base), 200, VersionsReply)
    expect(listed.versions.map((version) => version.id)).toContain(saved.id)
    const read = await replyOf(await call(`${base}/${saved.id}`), 200, VersionRecordsReply)
    expect(read.records.length).toBeGreaterThan(0)
    const restored = await replyOf(
      await post(`${base}/${saved.id}/restore`, { by: 'Ada' }),
      200,
      RestoreReply,
    )
    expect(restored.restored).toBe(saved.id)
    await replyOf(await post(`/api/links/${room.links.view.id}/versions`, { name: 'x' }), 403, ApiError)
  })

  it('draw.io import (with what it skipped), export headers, and an uploaded file', async () => {
    const room = await replyOf(await post('/api/rooms', {}), 201, CreateRoomReply)
    const fidelity = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'drawio', 'fidelity.drawio'))
    const imported = await replyOf(
      await fetch(`${server.url}/api/links/${room.links.edit.id}/import`, { method: 'POST', body: fidelity }),
      200,
      ImportReply,
    )
    expect(imported.shapes).toBeGreaterThan(0)
    expect(imported.skippedItems.length).toBeGreaterThan(0)
    const exported = await call(`/api/links/${room.links.view.id}/export.drawio`)
    expect(exported.status).toBe(200)
    expect(Number(exported.headers.get(UNMAPPED_HEADER))).toBeGreaterThanOrEqual(0)
    const uploaded = await replyOf(
      await fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        body: Buffer.from(png(4, 4)),
      }),
      201,
      AssetUploadReply,
    )
    expect((await fetch(`${server.url}${uploaded.url}`)).status).toBe(200)
  })

  it("accounts: a person's boards, a private board's members, usage", async () => {
    const room = await replyOf(await post('/api/rooms', { private: true }, { as: ada }), 201, CreateRoomReply)
    const mine = await replyOf(await call('/api/me/rooms', { as: ada }), 200, MyRoomsReply)
    expect(mine.rooms.map((entry) => [entry.roomId, entry.role])).toContainEqual([room.roomId, 'owner'])
    const members = `/api/rooms/${room.roomId}/members`
    const bob = await replyOf(
      await post(members, { email: 'bob@example.com', role: 'viewer' }, { as: ada }),
      201,
      Member,
    )
    const listed = await replyOf(await call(members, { as: ada }), 200, MembersReply)
    expect(listed.members.map((member) => member.email)).toContain('bob@example.com')
    expect((await call(`${members}/${bob.id}`, { as: ada, method: 'DELETE' })).status).toBe(204)
    const usage = await replyOf(await call('/api/usage', { as: ada }), 200, UsageReply)
    expect(usage).toEqual({ scope: 'user', totals: [] })
    const roomUsage = await replyOf(
      await call(`/api/usage?roomId=${room.roomId}`, { ownerKey: room.ownerKey }),
      200,
      UsageReply,
    )
    expect(roomUsage.scope).toBe('room')
    await replyOf(await call('/api/me/rooms'), 401, ApiError)
  })
})
