/**
 * The sync core against real databases (PGlite and the machine's Postgres), driven by stock
 * y-websocket providers: convergence, late joiners, viewers, unknown links, bad frames.
 */

import type { RunningServer } from '@drawbridge/server'
import { CloseCode, FIRST_PAGE_ID, openRecords, readRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connect, connectSynced, createRoom, destroyAll, synced, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { addRectangles, recordsOf } from './support/records'
import { startTestServer } from './support/servers'
import { buildStoredRecords } from './support/storedRecords'

const wsUrl = (server: RunningServer, linkId: string) => `${server.url.replace(/^http/, 'ws')}/yjs/${linkId}`

/** Opens a raw socket and resolves with how it ended: a close code, or the HTTP status of a refused upgrade. */
function rawSocket(url: string, onOpen?: (ws: WebSocket) => void) {
  const ws = new WebSocket(url)
  const ended = new Promise<{ closeCode?: number; httpStatus?: number }>((resolve) => {
    ws.on('unexpected-response', (_request, response) => resolve({ httpStatus: response.statusCode }))
    ws.on('close', (code) => resolve({ closeCode: code }))
    ws.on('error', () => {})
  })
  ws.on('open', () => onOpen?.(ws))
  return { ws, ended }
}

describe.each(BACKENDS)('sync core on %s', (backend) => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('serves a new room with its document and first page already in place', async () => {
    const room = await createRoom(server.url, 'Roadmap')
    const provider = await connectSynced(server.url, room.links.edit.id)
    const records = readRecords(provider.doc)
    expect(records.get('document:document')?.typeName).toBe('document')
    expect(records.get(FIRST_PAGE_ID)?.typeName).toBe('page')
    expect(provider.doc.getMap('meta').get('title')).toBe('Roadmap')
    destroyAll([provider])
  })

  it('makes two editors converge, and gives a late joiner the full state', async () => {
    const room = await createRoom(server.url)
    const alice = await connectSynced(server.url, room.links.edit.id)
    const bob = await connectSynced(server.url, room.links.edit.id)
    const [shapeId] = addRectangles(alice.doc, 1, 'from alice')
    addRectangles(bob.doc, 2, 'from bob')
    await waitFor(
      () => readRecords(alice.doc).size === 5 && readRecords(bob.doc).size === 5,
      'both see 5 records',
    )

    openRecords(bob.doc).delete(shapeId!)
    await waitFor(() => !readRecords(alice.doc).has(shapeId!), 'deletion reaches alice')
    expect(recordsOf(alice.doc)).toEqual(recordsOf(bob.doc))

    const late = await connectSynced(server.url, room.links.view.id)
    expect(recordsOf(late.doc)).toEqual(recordsOf(alice.doc))
    destroyAll([alice, bob, late])
  })

  it('lets a viewer see everything and its presence, but drops its writes', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const viewer = await connectSynced(server.url, room.links.view.id)
    addRectangles(editor.doc, 1, 'real')
    await waitFor(() => readRecords(viewer.doc).size === 3, 'viewer receives the editor shape')

    viewer.awareness.setLocalStateField('user', { name: 'Vera' })
    await waitFor(
      () => [...editor.awareness.getStates().values()].some((state) => state.user?.name === 'Vera'),
      'editor sees the viewer presence',
    )

    const [forgedId] = addRectangles(viewer.doc, 1, 'forged')
    // A marker written by the editor after the viewer's write: once it arrives, the forged shape
    // would have arrived too (the server handles one connection's frames in order).
    const [markerId] = addRectangles(editor.doc, 1, 'marker')
    const third = await connectSynced(server.url, room.links.edit.id)
    await waitFor(() => readRecords(third.doc).has(markerId!), 'third client sees the marker')
    expect(readRecords(editor.doc).has(forgedId!)).toBe(false)
    expect(readRecords(third.doc).has(forgedId!)).toBe(false)
    destroyAll([editor, viewer, third])

    await server.stop()
    server = await startTestServer(database)
    const afterRestart = await connectSynced(server.url, room.links.edit.id)
    expect(readRecords(afterRestart.doc).has(forgedId!)).toBe(false)
    expect(readRecords(afterRestart.doc).has(markerId!)).toBe(true)
    destroyAll([afterRestart])
  })

  it('refuses unknown and malformed links before any document data', async () => {
    for (const linkId of ['A'.repeat(24), 'short', '../../etc']) {
      const { ended } = rawSocket(wsUrl(server, linkId))
      expect(await ended).toEqual({ httpStatus: 404 })
    }
    const response = await fetch(`${server.url}/api/links/${'B'.repeat(24)}`)
    expect(response.status).toBe(404)
  })

  it('closes a sender of garbage with 1002 and leaves the doc and other clients untouched', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    addRectangles(editor.doc, 3)
    await waitFor(() => editor.synced, 'editor synced')
    const before = recordsOf(editor.doc)

    // A sync "update" whose payload is not a Yjs update, then a frame that is not a message at all.
    const garbageUpdate = Uint8Array.from([0, 2, 6, 1, 2, 255, 255, 255, 255])
    for (const frame of [garbageUpdate, Uint8Array.from([0xff, 0xff, 0xff])]) {
      const { ended } = rawSocket(wsUrl(server, room.links.edit.id), (ws) => ws.send(frame))
      expect((await ended).closeCode).toBe(CloseCode.ProtocolError)
    }
    const { ended: unsupported } = rawSocket(wsUrl(server, room.links.edit.id), (ws) =>
      ws.send(Uint8Array.from([9])),
    )
    expect((await unsupported).closeCode).toBe(CloseCode.UnsupportedData)

    addRectangles(editor.doc, 1, 'after garbage')
    const check = await connectSynced(server.url, room.links.edit.id)
    await waitFor(
      () => readRecords(check.doc).size === Object.keys(before).length + 1,
      'editor keeps syncing',
    )
    expect(editor.wsconnected).toBe(true)
    destroyAll([editor, check])
  })

  it('closes a connection that sends a frame above MAX_MESSAGE_BYTES with 1009', async () => {
    const room = await createRoom(server.url)
    const big = new Uint8Array(8 * 1024 * 1024 + 16)
    const { ended } = rawSocket(wsUrl(server, room.links.edit.id), (ws) => ws.send(big))
    expect((await ended).closeCode).toBe(1009)
    const fresh = await connectSynced(server.url, room.links.edit.id)
    expect(readRecords(fresh.doc).size).toBe(2)
    destroyAll([fresh])
  })

  it('answers sync step 1 only once the stored doc is loaded, for clients arriving together', async () => {
    const room = await createRoom(server.url)
    const writer = await connectSynced(server.url, room.links.edit.id)
    addRectangles(writer.doc, 200)
    await waitFor(() => writer.synced, 'writer synced')
    destroyAll([writer])
    await server.stop() // flushes; the next server starts with nothing in memory
    server = await startTestServer(database)

    const providers = Array.from({ length: 6 }, () => connect(server.url, room.links.edit.id))
    const sizesAtSync = await Promise.all(
      providers.map(async (provider) => {
        await synced(provider)
        return readRecords(provider.doc).size
      }),
    )
    expect(sizesAtSync).toEqual(Array(6).fill(202))
    destroyAll(providers)
  })

  it('drops a peer that stops answering pings', async () => {
    const quickServer = await startTestServer(database, { PING_INTERVAL_MS: '100' })
    try {
      const room = await createRoom(quickServer.url)
      const ws = new WebSocket(wsUrl(quickServer, room.links.edit.id), { autoPong: false })
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
      ws.on('error', () => {})
      expect(await closed).toBe(1006) // terminated without a close frame
    } finally {
      await quickServer.stop()
    }
  })

  it('closes a client that stops reading instead of buffering without bound', async () => {
    const tightServer = await startTestServer(database, { MAX_BUFFERED_BYTES: '65536' })
    try {
      const room = await createRoom(tightServer.url)
      const writer = await connectSynced(tightServer.url, room.links.edit.id)
      const { ws, ended } = rawSocket(wsUrl(tightServer, room.links.edit.id))
      await new Promise<void>((resolve) => ws.once('open', () => resolve()))
      // Stop reading: the kernel buffers fill, then the server's send buffer grows.
      ;(ws as unknown as { _socket: { pause(): void } })._socket.pause()
      const text = 'x'.repeat(50_000)
      // Until the server gives up on it: then it has a grace period to read up to the close frame.
      const closedSlow = async () =>
        /drawbridge_connections_closed_total\{code="4001"\} [1-9]/.test(
          await (await fetch(`${tightServer.url}/metrics`)).text(),
        )
      for (let i = 0; i < 200 && !(await closedSlow()); i++) {
        writer.awareness.setLocalStateField('blob', `${text}${i}`)
        await new Promise((resolve) => setImmediate(resolve))
      }
      ;(ws as unknown as { _socket: { resume(): void } })._socket.resume()
      expect((await ended).closeCode).toBe(CloseCode.SlowConsumer)
      expect(writer.wsconnected).toBe(true)
      destroyAll([writer])
    } finally {
      await tightServer.stop()
    }
  })

  it('unloads an idle room after flushing its writes, and reloads it on the next visit', async () => {
    const idleServer = await startTestServer(database, { ROOM_IDLE_MS: '100', PERSIST_WINDOW_MS: '1000' })
    const loadedRooms = async () =>
      Number(
        (await (await fetch(`${idleServer.url}/metrics`)).text()).match(
          /^drawbridge_rooms_loaded (\d+)/m,
        )?.[1],
      )
    try {
      const room = await createRoom(idleServer.url)
      const editor = await connectSynced(idleServer.url, room.links.edit.id)
      const ids = addRectangles(editor.doc, 3)
      const observer = await connectSynced(idleServer.url, room.links.edit.id)
      await waitFor(() => readRecords(observer.doc).size === 5, 'observer sees the shapes')
      expect(await loadedRooms()).toBe(1)
      destroyAll([editor, observer])
      // The persist window (1 s) is longer than the idle time: unloading must flush, not drop.
      await waitFor(async () => (await loadedRooms()) === 0, 'room unloaded')
      // Flushed, then compacted on unload: one snapshot row that holds every shape.
      const stored = await idleServer.storage.documents.load(room.roomId)
      expect(stored.updates).toHaveLength(0)
      expect(ids.every((id) => buildStoredRecords(stored).has(id))).toBe(true)
      const again = await connectSynced(idleServer.url, room.links.view.id)
      expect(ids.every((id) => readRecords(again.doc).has(id))).toBe(true)
      destroyAll([again])
    } finally {
      await idleServer.stop()
    }
  })

  it('exposes health and metrics', async () => {
    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true, db: backend })
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/drawbridge_updates_in_total \d+/)
    expect(metrics).toMatch(/drawbridge_persist_seconds_bucket/)
  })
})
