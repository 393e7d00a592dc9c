/**
 * Access changes re-decide the rights of every open socket they concern, from its link AND the
 * person behind it: a viewer member stays a viewer when the owner edits an edit link, making a
 * board private disconnects anonymous sockets (4401), and re-inviting an editor as viewer demotes
 * their open socket — writes dropped, reads still flowing — on one instance and across two.
 */
import type { RunningServer } from '@drawbridge/server'
import { buildGeoShape, CloseCode, getIndices, openRecords, readRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, destroyAll, synced, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { AUTH_ENV, apiAs, connectAs, createPrivateRoom, type Person, signIn } from './support/people'
import { RawPeer } from './support/rawPeer'
import { addRectangles } from './support/records'
import { freshRedisPrefix, TEST_REDIS_URL } from './support/redis'
import { startTestServer } from './support/servers'

function closeCodesOf(provider: WebsocketProvider): number[] {
  const codes: number[] = []
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) codes.push(event.code)
  })
  return codes
}

/** One rectangle written by a raw peer; its id. */
function rawRectangle(peer: RawPeer, label: string): string {
  const shape = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, text: label, index: getIndices(1)[0]! })
  peer.write((doc) => openRecords(doc).set(shape.id, shape))
  return shape.id
}

/** What the server holds now: the records a client joining at this moment receives. */
async function serverRecords(baseUrl: string, linkId: string, person: Person): Promise<Set<string>> {
  const probe = connectAs(baseUrl, linkId, person)
  await synced(probe)
  const ids = new Set(readRecords(probe.doc).keys())
  destroyAll([probe])
  return ids
}

describe.each(BACKENDS)('access changes on open sockets (%s)', (backend) => {
  let database: TestDatabase
  let server: RunningServer
  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database, AUTH_ENV)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it("keeps a viewer member a viewer when the owner edits the edit link's expiry", async () => {
    const [ada, eve] = [await signIn('ada'), await signIn('eve')]
    const room = await createPrivateRoom(server.url, ada)
    const invite = { email: eve.email, role: 'viewer' }
    expect((await apiAs(server.url, ada, `/api/rooms/${room.roomId}/members`, 'POST', invite)).status).toBe(
      201,
    )
    const eveSocket = await RawPeer.open(server.url, room.links.edit.id, eve.jwt)
    const edited = await apiAs(
      server.url,
      ada,
      `/api/rooms/${room.roomId}/links/${room.links.edit.id}`,
      'PATCH',
      {
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    )
    expect(edited.status).toBe(200)
    const written = rawRectangle(eveSocket, 'viewer write')
    await eveSocket.roundTrip()
    expect((await serverRecords(server.url, room.links.edit.id, ada)).has(written)).toBe(false)
    expect(eveSocket.closeCode).toBeUndefined()
    eveSocket.destroy()
  })

  it('disconnects anonymous sockets (4401) when the owner makes the board private', async () => {
    const ada = await signIn('ada')
    const created = await apiAs(server.url, ada, '/api/rooms', 'POST', { title: 'Soon private' })
    const room = (await created.json()) as {
      roomId: string
      links: { edit: { id: string }; view: { id: string } }
    }
    const anonymousEditor = await connectSynced(server.url, room.links.edit.id)
    const anonymousViewer = await connectSynced(server.url, room.links.view.id)
    const owner = connectAs(server.url, room.links.edit.id, ada)
    await synced(owner)
    const editorCodes = closeCodesOf(anonymousEditor)
    const viewerCodes = closeCodesOf(anonymousViewer)
    const made = await apiAs(server.url, ada, `/api/rooms/${room.roomId}`, 'PATCH', { private: true })
    expect(made.status).toBe(200)
    await waitFor(
      () => editorCodes.includes(CloseCode.Unauthorized) && viewerCodes.includes(CloseCode.Unauthorized),
      'anonymous sockets closed with 4401',
    )
    const [marker] = addRectangles(owner.doc, 1, 'owner still writes')
    expect((await serverRecords(server.url, room.links.view.id, ada)).has(marker!)).toBe(true)
    expect(owner.wsconnected).toBe(true)
    destroyAll([anonymousEditor, anonymousViewer, owner])
  })

  it("demotes an editor member's open socket when they are invited again as viewer", async () => {
    const [ada, bob] = [await signIn('ada'), await signIn('bob')]
    const room = await createPrivateRoom(server.url, ada)
    const members = `/api/rooms/${room.roomId}/members`
    expect((await apiAs(server.url, ada, members, 'POST', { email: bob.email, role: 'editor' })).status).toBe(
      201,
    )
    const bobSocket = await RawPeer.open(server.url, room.links.edit.id, bob.jwt)
    const asEditor = rawRectangle(bobSocket, 'as editor')
    await bobSocket.roundTrip()
    expect((await serverRecords(server.url, room.links.edit.id, ada)).has(asEditor)).toBe(true)

    expect((await apiAs(server.url, ada, members, 'POST', { email: bob.email, role: 'viewer' })).status).toBe(
      201,
    )
    const asViewer = rawRectangle(bobSocket, 'as viewer')
    await bobSocket.roundTrip()
    expect((await serverRecords(server.url, room.links.edit.id, ada)).has(asViewer)).toBe(false)
    // Still connected, still reading.
    const owner = connectAs(server.url, room.links.edit.id, ada)
    await synced(owner)
    const [marker] = addRectangles(owner.doc, 1, 'owner')
    await waitFor(() => readRecords(bobSocket.doc).has(marker!), 'the demoted member still receives')
    expect(bobSocket.closeCode).toBeUndefined()
    bobSocket.destroy()
    destroyAll([owner])
  })
})

describe('access changes across instances (postgres)', () => {
  let database: TestDatabase
  const servers: RunningServer[] = []
  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    const redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix(), ...AUTH_ENV }
    servers.push(await startTestServer(database, redis), await startTestServer(database, redis))
  })
  afterAll(async () => {
    for (const server of servers) await server.stop()
    await database?.drop()
  })

  it('disconnects anonymous sockets on another instance when the board is made private here', async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const ada = await signIn('ada')
    const created = await apiAs(a.url, ada, '/api/rooms', 'POST', { title: 'Soon private' })
    const room = (await created.json()) as { roomId: string; links: { edit: { id: string } } }
    const anonymousOnB = await connectSynced(b.url, room.links.edit.id)
    const ownerOnB = connectAs(b.url, room.links.edit.id, ada)
    await synced(ownerOnB)
    const codes = closeCodesOf(anonymousOnB)
    expect((await apiAs(a.url, ada, `/api/rooms/${room.roomId}`, 'PATCH', { private: true })).status).toBe(
      200,
    )
    await waitFor(() => codes.includes(CloseCode.Unauthorized), 'the anonymous socket on B closed with 4401')
    expect(ownerOnB.wsconnected).toBe(true)
    destroyAll([anonymousOnB, ownerOnB])
  })

  it("demotes a member's socket on another instance when they are invited again as viewer here", async () => {
    const [a, b] = servers as [RunningServer, RunningServer]
    const [ada, bob] = [await signIn('ada'), await signIn('bob')]
    const room = await createPrivateRoom(a.url, ada)
    const members = `/api/rooms/${room.roomId}/members`
    expect((await apiAs(a.url, ada, members, 'POST', { email: bob.email, role: 'editor' })).status).toBe(201)
    const bobOnB = await RawPeer.open(b.url, room.links.edit.id, bob.jwt)
    await bobOnB.roundTrip()
    expect((await apiAs(a.url, ada, members, 'POST', { email: bob.email, role: 'viewer' })).status).toBe(201)
    // B learns of it over Redis: write until B drops a write, then check it keeps dropping them.
    let dropped: string | undefined
    await waitFor(async () => {
      const id = rawRectangle(bobOnB, 'probe')
      await bobOnB.roundTrip()
      if ((await serverRecords(b.url, room.links.edit.id, ada)).has(id)) return false
      dropped = id
      return true
    }, 'B demotes the socket')
    const again = rawRectangle(bobOnB, 'after demotion')
    await bobOnB.roundTrip()
    const onA = await serverRecords(a.url, room.links.edit.id, ada)
    expect(onA.has(again) || onA.has(dropped!)).toBe(false)
    expect(bobOnB.closeCode).toBeUndefined()
    bobOnB.destroy()
  })
})
