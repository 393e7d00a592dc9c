/**
 * What an owner does to links and rooms reaches live connections at once: rotation and
 * revocation close sockets (4404), expiry closes them (4410), a downgrade stops writes without a
 * reconnect, a rename shows live, deletion disconnects everyone (4411) and removes the data.
 */

import type { RunningServer } from '@drawbridge/server'
import { CloseCode, readRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
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

describe('owner controls on live rooms', () => {
  let database: TestDatabase
  let server: RunningServer
  const owner = (ownerKey: string, path: string, method: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-owner-key': ownerKey },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    server = await startTestServer(database)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('shows the links to the owner only', async () => {
    const room = await createRoom(server.url)
    const listed = await owner(room.ownerKey, `/api/rooms/${room.roomId}`, 'GET')
    expect(listed.status).toBe(200)
    const body = (await listed.json()) as { links: Array<{ id: string; role: string }> }
    expect(body.links.map((link) => [link.id, link.role]).sort()).toEqual(
      [
        [room.links.edit.id, 'editor'],
        [room.links.view.id, 'viewer'],
      ].sort(),
    )
    expect((await owner('wrong-key', `/api/rooms/${room.roomId}`, 'GET')).status).toBe(403)
    expect((await fetch(`${server.url}/api/rooms/${room.roomId}`)).status).toBe(403)
  })

  it('rotates a link: the old one stops working and its sockets close within a second', async () => {
    const room = await createRoom(server.url)
    const client = await connectSynced(server.url, room.links.edit.id)
    const codes = closeCodesOf(client)
    const rotated = await owner(
      room.ownerKey,
      `/api/rooms/${room.roomId}/links/${room.links.edit.id}/rotate`,
      'POST',
    )
    expect(rotated.status).toBe(200)
    const fresh = (await rotated.json()) as { id: string; role: string }
    await waitFor(() => codes.includes(CloseCode.LinkNotFound), 'old socket closed with 4404', 1_000)
    client.disconnect()
    expect((await fetch(`${server.url}/api/links/${room.links.edit.id}`)).status).toBe(404)
    expect(fresh.role).toBe('editor')
    const onNew = await connectSynced(server.url, fresh.id)
    expect(readRecords(onNew.doc).size).toBe(2)
    destroyAll([client, onNew])
  })

  it('revokes a link and expires one, closing their sockets', async () => {
    const room = await createRoom(server.url)
    const viewer = await connectSynced(server.url, room.links.view.id)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const viewerCodes = closeCodesOf(viewer)
    const editorCodes = closeCodesOf(editor)
    expect(
      (await owner(room.ownerKey, `/api/rooms/${room.roomId}/links/${room.links.view.id}`, 'DELETE')).status,
    ).toBe(204)
    await waitFor(() => viewerCodes.includes(CloseCode.LinkNotFound), 'revoked socket closed', 1_000)

    const soon = new Date(Date.now() + 300).toISOString()
    const patched = await owner(
      room.ownerKey,
      `/api/rooms/${room.roomId}/links/${room.links.edit.id}`,
      'PATCH',
      {
        expiresAt: soon,
      },
    )
    expect(patched.status).toBe(200)
    await waitFor(() => editorCodes.includes(CloseCode.LinkExpired), 'expired socket closed', 2_000)
    expect((await fetch(`${server.url}/api/links/${room.links.edit.id}`)).status).toBe(410)
    destroyAll([viewer, editor])
  })

  it('downgrades an editor to viewer on the live connection', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const watcher = await connectSynced(server.url, room.links.view.id)
    const [before] = addRectangles(editor.doc, 1, 'while editor')
    await waitFor(() => readRecords(watcher.doc).has(before!), 'edit arrives')
    const downgraded = await owner(
      room.ownerKey,
      `/api/rooms/${room.roomId}/links/${room.links.edit.id}`,
      'PATCH',
      {
        role: 'viewer',
      },
    )
    expect(downgraded.status).toBe(200)
    const [after] = addRectangles(editor.doc, 1, 'after downgrade')
    // A marker through another editor link proves the server has handled the dropped write.
    const other = await owner(
      room.ownerKey,
      `/api/rooms/${room.roomId}/links/${room.links.view.id}`,
      'PATCH',
      {
        role: 'editor',
      },
    )
    expect(other.status).toBe(200)
    const [marker] = addRectangles(watcher.doc, 1, 'marker')
    await waitFor(() => readRecords(editor.doc).has(marker!), 'marker arrives')
    expect(editor.wsconnected).toBe(true)
    expect(readRecords(watcher.doc).has(after!)).toBe(false)
    destroyAll([editor, watcher])
  })

  it('renames live and deletes the room with its data, telling everyone', async () => {
    const room = await createRoom(server.url, 'Old name')
    const client = await connectSynced(server.url, room.links.edit.id)
    const codes = closeCodesOf(client)
    expect(
      (await owner(room.ownerKey, `/api/rooms/${room.roomId}`, 'PATCH', { title: 'New name' })).status,
    ).toBe(200)
    await waitFor(() => client.doc.getMap('meta').get('title') === 'New name', 'title changes live')
    expect(
      ((await (await fetch(`${server.url}/api/links/${room.links.view.id}`)).json()) as { title: string })
        .title,
    ).toBe('New name')

    expect((await owner(room.ownerKey, `/api/rooms/${room.roomId}`, 'DELETE')).status).toBe(204)
    await waitFor(() => codes.includes(CloseCode.RoomDeleted), 'clients told the room is gone', 1_000)
    expect((await fetch(`${server.url}/api/links/${room.links.edit.id}`)).status).toBe(404)
    const stored = await server.storage.documents.load(room.roomId)
    expect(stored).toEqual({ snapshot: null, updates: [] })
    destroyAll([client])
  })

  it('closes sockets on another instance when a link is revoked here', async () => {
    const redis = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix() }
    const a = await startTestServer(database, redis)
    const b = await startTestServer(database, redis)
    try {
      const room = await createRoom(a.url)
      const onB = await connectSynced(b.url, room.links.edit.id)
      const codes = closeCodesOf(onB)
      const revoked = await fetch(`${a.url}/api/rooms/${room.roomId}/links/${room.links.edit.id}`, {
        method: 'DELETE',
        headers: { 'x-owner-key': room.ownerKey },
      })
      expect(revoked.status).toBe(204)
      await waitFor(() => codes.includes(CloseCode.LinkNotFound), 'socket on B closed', 1_000)
      destroyAll([onB])
    } finally {
      await a.stop()
      await b.stop()
    }
  })
})
