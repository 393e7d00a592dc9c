/**
 * Peers that break the rules on purpose, with raw `ws` sockets speaking y-websocket by hand: a
 * socket the server is closing keeps writing (after a revoke, after a member removal), a viewer
 * publishes presence under another client's id, editors push values that break the document
 * contract, and a board already holding such values must still open, export and restore.
 */
import type { RunningServer } from '@drawbridge/server'
import {
  buildGeoShape,
  CloseCode,
  getIndices,
  openRecords,
  readRecords,
  validateDocumentRecord,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, createRoom, destroyAll, synced, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { AUTH_ENV as AUTH, apiAs, connectAs, createPrivateRoom, signIn } from './support/people'
import { RawPeer } from './support/rawPeer'
import { startTestServer } from './support/servers'
import { buildStoredRecords } from './support/storedRecords'

/** Adds `count` valid rectangles to a raw peer's doc and sends them; returns their ids. */
function rawRectangles(peer: RawPeer, count: number, label: string): string[] {
  const ids: string[] = []
  const indices = getIndices(count)
  peer.write((doc) => {
    const records = openRecords(doc)
    for (let i = 0; i < count; i++) {
      const shape = buildGeoShape({ x: i, y: i, w: 10, h: 10, text: `${label} ${i}`, index: indices[i]! })
      records.set(shape.id, shape)
      ids.push(shape.id)
    }
  })
  return ids
}

describe.each(BACKENDS)('hostile peers (%s)', (backend) => {
  let database: TestDatabase
  let server: RunningServer
  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database, AUTH)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  /** Restarts the server on the same database: what a fresh client sees then is what was stored. */
  async function restart() {
    await server.stop()
    server = await startTestServer(database, AUTH)
  }

  it('applies nothing a socket sends after its link is revoked, even if it ignores the close', async () => {
    const room = await createRoom(server.url)
    const observer = await connectSynced(server.url, room.links.view.id)
    const raw = await RawPeer.open(server.url, room.links.edit.id)
    const [before] = rawRectangles(raw, 1, 'before')
    await waitFor(() => readRecords(observer.doc).has(before!), 'a write before the revoke arrives')

    raw.stopReading()
    const revoked = await fetch(`${server.url}/api/rooms/${room.roomId}/links/${room.links.edit.id}`, {
      method: 'DELETE',
      headers: { 'x-owner-key': room.ownerKey },
    })
    expect(revoked.status).toBe(204)
    const after: string[] = []
    for (let i = 0; i < 10; i++) after.push(...rawRectangles(raw, 1, `after ${i}`))
    // Reading again, the peer sees the close frame and answers it; the server handles that answer
    // after every frame sent before it, so once the socket has closed, all ten were handled.
    raw.resumeReading()
    expect(await raw.closed).toBe(CloseCode.LinkNotFound)
    const seen = readRecords(observer.doc)
    expect(after.filter((id) => seen.has(id))).toEqual([])
    destroyAll([observer])

    await restart()
    const stored = buildStoredRecords(await server.storage.documents.load(room.roomId))
    expect(stored.has(before!)).toBe(true)
    expect(after.filter((id) => stored.has(id))).toEqual([])
    raw.destroy()
  })

  it("applies nothing a removed member's socket sends after the removal", async () => {
    const ada = await signIn('ada')
    const bob = await signIn('bob')
    const room = await createPrivateRoom(server.url, ada)
    const invited = await apiAs(server.url, ada, `/api/rooms/${room.roomId}/members`, 'POST', {
      email: bob.email,
      role: 'editor',
    })
    const member = (await invited.json()) as { id: string }
    const owner = connectAs(server.url, room.links.edit.id, ada)
    await synced(owner)
    const raw = await RawPeer.open(server.url, room.links.edit.id, bob.jwt)
    const [before] = rawRectangles(raw, 1, 'member')
    await waitFor(() => readRecords(owner.doc).has(before!), "the member's write arrives")

    raw.stopReading()
    const removed = await apiAs(server.url, ada, `/api/rooms/${room.roomId}/members/${member.id}`, 'DELETE')
    expect(removed.status).toBe(204)
    const after: string[] = []
    for (let i = 0; i < 10; i++) after.push(...rawRectangles(raw, 1, `removed ${i}`))
    raw.resumeReading()
    expect(await raw.closed).toBe(CloseCode.Forbidden)
    const seen = readRecords(owner.doc)
    expect(after.filter((id) => seen.has(id))).toEqual([])
    destroyAll([owner])

    await restart()
    const stored = buildStoredRecords(await server.storage.documents.load(room.roomId))
    expect(stored.has(before!)).toBe(true)
    expect(after.filter((id) => stored.has(id))).toEqual([])
    raw.destroy()
  })

  it("never shows presence a socket publishes under another client's id", async () => {
    const room = await createRoom(server.url)
    const bob = await connectSynced(server.url, room.links.edit.id)
    bob.awareness.setLocalStateField('user', { name: 'Bob', color: '#00f', kind: 'human' })
    const observer = await connectSynced(server.url, room.links.view.id)
    const namesSeen: string[] = []
    const bobId = bob.awareness.clientID
    const nameOf = (id: number) =>
      (observer.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name
    observer.awareness.on('change', () => {
      const name = nameOf(bobId)
      if (name) namesSeen.push(name)
    })
    await waitFor(() => nameOf(bobId) === 'Bob', "the observer sees Bob's presence")

    const raw = await RawPeer.open(server.url, room.links.view.id)
    const spoof = (name: string, clock: number) => ({
      clientId: bobId,
      clock,
      state: { user: { name, color: '#f00', kind: 'human' }, cursor: { x: 1, y: 1 } },
    })
    // First announcement under Bob's id, then its own, then both in one frame.
    raw.sendAwareness([spoof('Alice', 1_000_000)])
    const ownId = raw.doc.clientID
    raw.sendAwareness([{ clientId: ownId, clock: 1, state: { user: { name: 'Mallory', kind: 'human' } } }])
    raw.sendAwareness([
      { clientId: ownId, clock: 2, state: { user: { name: 'Mallory 2', kind: 'human' } } },
      spoof('Alice', 2_000_000),
    ])
    await waitFor(() => nameOf(ownId) === 'Mallory 2', "the viewer's own presence arrives")
    expect(namesSeen.filter((name) => name !== 'Bob')).toEqual([])
    expect(nameOf(bobId)).toBe('Bob')
    expect(raw.closeCode).toBeUndefined()
    raw.destroy()
    destroyAll([bob, observer])
  })

  it('closes (1003) an editor whose update breaks the document contract, storing none of it', async () => {
    const room = await createRoom(server.url)
    const honest = await connectSynced(server.url, room.links.edit.id)
    const observer = await connectSynced(server.url, room.links.view.id)
    const valid = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, index: getIndices(1)[0]! })
    const { props: _props, ...withoutProps } = valid
    const attacks: Record<string, (doc: Y.Doc) => void> = {
      'null in records': (doc) => doc.getArray('records').push([null]),
      'a number in records': (doc) => doc.getArray('records').push([42]),
      'a nested Y.Map in records': (doc) => doc.getArray('records').push([new Y.Map()]),
      'a sub-document in records': (doc) => doc.getArray('records').push([new Y.Doc()]),
      'a record failing validation': (doc) =>
        doc.getArray('records').push([{ key: valid.id, val: withoutProps }]),
      'a key that is not the record id': (doc) =>
        doc.getArray('records').push([{ key: 'shape:someone-else', val: valid }]),
      'a map entry on records': (doc) => doc.getMap('records').set('x', { key: valid.id, val: valid }),
      'a bad chat entry': (doc) => doc.getArray('chat').push([{ id: 'm1', text: 5 }]),
      'a number as the title': (doc) => doc.getMap('meta').set('title', 42),
      'a Y.Text in meta': (doc) => doc.getMap('meta').set('notes', new Y.Text('hi')),
      'text into records': (doc) => doc.getText('records').insert(0, 'x'),
    }
    for (const [name, attack] of Object.entries(attacks)) {
      const raw = await RawPeer.open(server.url, room.links.edit.id)
      raw.write(attack)
      await waitFor(() => raw.closeCode !== undefined, `${name}: sender closed`, 5_000)
      expect(raw.closeCode, name).toBe(CloseCode.UnsupportedData)
      raw.destroy()
    }
    // A valid update through a raw socket still goes in, appended after refused ones.
    const raw = await RawPeer.open(server.url, room.links.edit.id)
    const [fine] = rawRectangles(raw, 1, 'fine')
    await waitFor(() => readRecords(observer.doc).has(fine!), 'a valid raw update arrives')
    raw.destroy()
    expect(honest.wsconnected && observer.wsconnected).toBe(true)
    const readable = (doc: Y.Doc) =>
      doc
        .getArray('records')
        .toArray()
        .every((entry) => {
          const { key, val } = (entry ?? {}) as { key?: unknown; val?: { id?: unknown } }
          return validateDocumentRecord(val).ok && val?.id === key
        })
    expect(readable(observer.doc)).toBe(true)
    expect(observer.doc.getArray('chat').length).toBe(0)
    destroyAll([honest, observer])

    await restart()
    const fresh = await connectSynced(server.url, room.links.view.id)
    expect(readable(fresh.doc)).toBe(true)
    expect(readRecords(fresh.doc).has(fine!)).toBe(true)
    expect(fresh.doc.getMap('meta').get('title')).toBe('Test board')
    expect([...fresh.doc.getMap('meta').keys()].sort()).toEqual(['schema', 'title'])
    destroyAll([fresh])
  })

  it('opens, exports and restores a board already holding entries nobody can read', async () => {
    const room = await createRoom(server.url)
    const bad = new Y.Doc()
    bad.getArray('records').push([null, 42, { key: 'shape:broken', val: { typeName: 'shape' } }])
    bad.getArray('records').push([new Y.Map()])
    bad.getArray('chat').push([null, { id: 'm', text: 1 }])
    // Straight into storage, past the server's check: what an older server let in.
    await server.storage.documents.append(room.roomId, Y.encodeStateAsUpdate(bad), 1)
    bad.destroy()

    const editor = await connectSynced(server.url, room.links.edit.id)
    // The client's record store opens over the bad entries (the binding then validates each value).
    const records = openRecords(editor.doc)
    expect([...records.map.keys()]).toEqual(expect.arrayContaining(['document:document', 'page:page']))
    expect([...readRecords(editor.doc).keys()].sort()).toEqual(['document:document', 'page:page'])

    const exported = await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio`)
    expect(exported.status).toBe(200)
    expect(await exported.text()).toContain('<mxfile')

    const api = (path: string, body: unknown) =>
      fetch(`${server.url}/api/links/${room.links.edit.id}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const saved = await api('/versions', { name: 'Before the box' })
    expect(saved.status).toBe(201)
    const version = (await saved.json()) as { id: string }
    const shape = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, index: getIndices(1)[0]! })
    records.set(shape.id, shape)
    const restored = await api(`/versions/${version.id}/restore`, {})
    expect(restored.status).toBe(200)
    await waitFor(() => !readRecords(editor.doc).has(shape.id), 'the restore reaches the editor')
    expect([...readRecords(editor.doc).keys()].sort()).toEqual(['document:document', 'page:page'])
    destroyAll([editor])
  })
})
