/**
 * The MCP endpoint's limits and the ways a session ends or is admitted (issue 21): per-call size,
 * calls per hour and requests per minute, idle sessions, private boards with `X-Supabase-Token`,
 * and the stdio bridge (`pnpm mcp <board-url>`) driven by the SDK's own stdio client.
 */
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { RunningServer } from '@drawbridge/server'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { labelsOf } from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { aiPresences, callTool, connectMcp } from './support/mcp'
import { freshRedisPrefix, TEST_REDIS_URL } from './support/redis'
import { startTestServer } from './support/servers'

describe('MCP limits and idle sessions', () => {
  let database: TestDatabase
  let server: RunningServer
  const providers: WebsocketProvider[] = []

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database, {
      MCP_MAX_SHAPES_PER_CALL: '5',
      MCP_CALLS_PER_HOUR: '6',
      MCP_SESSION_IDLE_MS: '400',
      MCP_REQUESTS_PER_MINUTE: '40',
    })
  })
  afterAll(async () => {
    destroyAll(providers)
    await server?.stop()
    await database?.drop()
  })

  it('refuses diagrams over the per-call size and calls over the hourly budget, with clear errors', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    const { client } = await connectMcp(server.url, room.links.edit.id)
    const big = await callTool(client, 'draw_diagram', { mermaid: 'graph LR; A-->B; B-->C; C-->D' })
    expect(big.isError).toBe(true)
    expect(big.text).toMatch(/at most 5/)
    const small = await callTool(client, 'draw_diagram', { mermaid: 'graph LR; A-->B' })
    expect(small.isError).toBeFalsy()
    let refused: Awaited<ReturnType<typeof callTool>> | undefined
    for (let call = 0; call < 10 && !refused; call++) {
      const result = await callTool(client, 'read_board')
      if (result.isError) refused = result
    }
    expect(refused?.text).toMatch(/6 tool calls per hour/)
    await client.close()
  })

  it('ends a session that goes quiet: its peer leaves the room', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.view.id)
    providers.push(person)
    const { client } = await connectMcp(server.url, room.links.edit.id, 'Sleepy')
    await waitFor(
      () => aiPresences(person).some((peer) => peer.name === 'Sleepy (AI)'),
      'the MCP peer in the room',
    )
    await waitFor(() => aiPresences(person).length === 0, 'the idle session ended')
    await client.close()
  })

  it('answers 429 with Retry-After past the requests per minute', async () => {
    const room = await createRoom(server.url)
    let refused: Response | undefined
    for (let request = 0; request < 60 && !refused; request++) {
      const response = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${room.links.view.id}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      })
      if (response.status === 429) refused = response
      else expect(response.status).toBe(400) // no session yet: refused, but counted
    }
    expect(refused).toBeDefined()
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await refused!.text()).toMatch(/40 requests per minute/)
  })
})

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const JWT_SECRET = 'mcp-test-jwt-secret-of-at-least-32-characters'

function signIn(claims: { sub: string; email: string }): Promise<string> {
  return new SignJWT({ ...claims, role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setAudience('authenticated')
    .setIssuer('https://project.supabase.co/auth/v1')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET))
}

describe('MCP on private boards, and over stdio', () => {
  let database: TestDatabase
  let server: RunningServer
  const providers: WebsocketProvider[] = []

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    server = await startTestServer(database, {
      SUPABASE_JWT_SECRET: JWT_SECRET,
      SUPABASE_URL: 'https://project.supabase.co',
      SUPABASE_ANON_KEY: 'anon-key',
    })
  })
  afterAll(async () => {
    destroyAll(providers)
    await server?.stop()
    await database?.drop()
  })

  it('admits only members (X-Supabase-Token), a viewer member gets the read tools, a removed one is ended', async () => {
    const ada = await signIn({ sub: randomUUID(), email: 'ada@example.com' })
    const bob = await signIn({ sub: randomUUID(), email: 'bob@example.com' })
    const eve = await signIn({ sub: randomUUID(), email: 'eve@example.com' })
    const created = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ada}` },
      body: '{"title":"Secret plans","private":true}',
    })
    const room = (await created.json()) as { roomId: string; links: { edit: { id: string } } }
    const editLink = room.links.edit.id
    await expect(connectMcp(server.url, editLink)).rejects.toThrow(/private/)
    await expect(connectMcp(server.url, editLink, 'x', { 'x-supabase-token': eve })).rejects.toThrow(
      /not a member/,
    )
    await expect(connectMcp(server.url, editLink, 'x', { 'x-supabase-token': 'not.a.jwt' })).rejects.toThrow(
      /Sign-in failed/,
    )

    const owner = await connectMcp(server.url, editLink, 'Owner tool', { 'x-supabase-token': ada })
    expect((await callTool(owner.client, 'draw_diagram', { mermaid: 'graph LR; A-->B' })).isError).toBeFalsy()

    const invited = await fetch(`${server.url}/api/rooms/${room.roomId}/members`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ada}` },
      body: JSON.stringify({ email: 'bob@example.com', role: 'viewer' }),
    })
    const member = (await invited.json()) as { id: string }
    const bobs = await connectMcp(server.url, editLink, 'Bob tool', { 'x-supabase-token': bob })
    expect((await bobs.client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'export_drawio',
      'read_board',
    ])
    expect((await callTool(bobs.client, 'read_board')).text).toMatch(/2 shapes|3 shapes/)

    const removed = await fetch(`${server.url}/api/rooms/${room.roomId}/members/${member.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ada}` },
    })
    expect(removed.status).toBe(204)
    await waitFor(async () => {
      const after = await bobs.client
        .callTool({ name: 'read_board', arguments: {} })
        .then(() => 'answered')
        .catch(() => 'refused')
      return after === 'refused'
    }, 'the removed member’s session refused')
    await owner.client.close()
  })

  it('bridges a stdio client to the board: `pnpm mcp <board-url>`', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    const transport = new StdioClientTransport({
      command: 'npx',
      args: [
        '-y',
        'pnpm@10',
        '--silent',
        'mcp',
        room.links.edit.url.replace(/^https?:\/\/[^/]+/, server.url),
      ],
      cwd: REPO_ROOT,
      stderr: 'pipe',
    })
    const client = new Client({ name: 'Stdio Client', version: '1.0.0' })
    await client.connect(transport)
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('draw_diagram')
    await waitFor(
      () => aiPresences(person).some((peer) => peer.name === 'Stdio Client (AI)'),
      'the bridged peer',
    )
    const drawn = (await client.callTool({
      name: 'draw_diagram',
      arguments: { mermaid: 'graph TD; P[Piped] --> Q[Through]' },
    })) as {
      isError?: boolean
    }
    expect(drawn.isError).toBeFalsy()
    await waitFor(() => labelsOf(person.doc).includes('Through'), 'the bridged drawing')
    await client.close()
    await waitFor(() => aiPresences(person).length === 0, 'the bridged peer left when stdin closed')
  }, 60_000)
})

describe('MCP across instances', () => {
  it('revoking the link on one instance ends the session on another', async () => {
    const database = await createTestDatabase('postgres')
    const redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix() }
    const a = await startTestServer(database, redis)
    const b = await startTestServer(database, redis)
    try {
      const room = await createRoom(a.url)
      const person = await connectSynced(a.url, room.links.view.id)
      const { client } = await connectMcp(b.url, room.links.edit.id, 'Remote')
      await waitFor(
        () => aiPresences(person).some((peer) => peer.name === 'Remote (AI)'),
        'the peer, seen on A',
      )
      const revoked = await fetch(`${a.url}/api/rooms/${room.roomId}/links/${room.links.edit.id}`, {
        method: 'DELETE',
        headers: { 'x-owner-key': room.ownerKey },
      })
      expect(revoked.status).toBe(204)
      await waitFor(() => aiPresences(person).length === 0, 'the session on B ended')
      destroyAll([person])
      await client.close().catch(() => undefined)
    } finally {
      await a.stop()
      await b.stop()
      await database.drop()
    }
  })
})
