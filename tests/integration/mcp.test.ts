/**
 * Any MCP client joins a board as a peer (issue 21): the SDK's own Client over Streamable HTTP,
 * with the board link as its bearer, against a real server on PGlite and on Postgres. A stock
 * y-websocket peer (a person's browser, as far as the server can tell) draws, watches shapes and
 * the MCP peer's presence arrive, and sees undo and revocation take effect.
 */
import type { RunningServer } from '@drawbridge/server'
import {
  buildBoundArrow,
  buildGeoShape,
  FIRST_PAGE_ID,
  getIndices,
  openRecords,
  readRecords,
  type TLShape,
  validateDocumentRecord,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { chatOf, labelsOf, shapesOf } from './support/copilot'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { aiPresences, callTool, connectMcp, type Presence } from './support/mcp'
import { startTestServer } from './support/servers'

const FLOWCHART = `flowchart LR
  A[Browser] --> B{Signed in?}
  B -->|yes| C[API]
  B -->|no| D((Login))`

/** Every record of the doc passes tldraw's schema. */
function expectValidDoc(provider: WebsocketProvider) {
  for (const record of readRecords(provider.doc).values())
    expect(() => validateDocumentRecord(record)).not.toThrow()
}

/** Two labelled boxes and an arrow between them, written as a person's client would. */
function drawPeopleBoard(provider: WebsocketProvider) {
  const records = openRecords(provider.doc)
  const [i1, i2, i3] = getIndices(3)
  const api = buildGeoShape({ x: 0, y: 0, w: 160, h: 80, text: 'Web app', index: i1! })
  const db = buildGeoShape({ x: 400, y: 0, w: 160, h: 80, text: 'Orders DB', index: i2!, geo: 'ellipse' })
  const arrow = buildBoundArrow({ from: api, to: db, text: 'writes', index: i3! })
  provider.doc.transact(() => {
    for (const record of [api, db, ...arrow]) records.set(record.id, record)
  })
  return { api, db }
}

describe.each(BACKENDS)('MCP endpoint on %s', (backend) => {
  let database: TestDatabase
  let server: RunningServer
  const providers: WebsocketProvider[] = []

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database)
  })
  afterAll(async () => {
    destroyAll(providers)
    await server?.stop()
    await database?.drop()
  })

  it('lists the tools by role: a view link sees only the read tools', async () => {
    const room = await createRoom(server.url)
    const editor = await connectMcp(server.url, room.links.edit.id)
    const viewer = await connectMcp(server.url, room.links.view.id)
    const editorTools = (await editor.client.listTools()).tools.map((tool) => tool.name).sort()
    const viewerTools = (await viewer.client.listTools()).tools.map((tool) => tool.name).sort()
    expect(editorTools).toEqual(['draw_diagram', 'edit_board', 'export_drawio', 'read_board', 'undo_last'])
    expect(viewerTools).toEqual(['export_drawio', 'read_board'])
    // Even called by name, a write tool does nothing for a viewer.
    const refused = await callTool(viewer.client, 'draw_diagram', { mermaid: FLOWCHART })
    expect(refused.isError).toBe(true)
    await editor.client.close()
    await viewer.client.close()
  })

  it('refuses unknown and missing links with 401', async () => {
    const initialize = (headers: Record<string, string>) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'x', version: '1' },
          },
        }),
      })
    expect((await initialize({})).status).toBe(401)
    expect((await initialize({ authorization: `Bearer ${'A'.repeat(24)}` })).status).toBe(401)
    await expect(connectMcp(server.url, 'A'.repeat(24))).rejects.toThrow(/does not exist or has been revoked/)
  })

  it('reads a board people drew, as text and as data with short ids', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    const { api, db } = drawPeopleBoard(person)
    const { client } = await connectMcp(server.url, room.links.view.id)
    let reading = await callTool(client, 'read_board')
    await waitFor(async () => {
      reading = await callTool(client, 'read_board')
      return reading.text.includes('Orders DB')
    }, 'the MCP peer to have the people’s shapes')
    expect(reading.isError).toBeFalsy()
    expect(reading.text).toMatch(/s\d rectangle "Web app" at 0,0 size 160x80/)
    expect(reading.text).toMatch(/s\d ellipse "Orders DB" at 400,0/)
    expect(reading.text).toMatch(/s\d arrow s\d -> s\d "writes"/)
    const shapes = (reading.structuredContent as { shapes: Array<Record<string, unknown>> }).shapes
    const web = shapes.find((shape) => shape.label === 'Web app')!
    const orders = shapes.find((shape) => shape.label === 'Orders DB')!
    expect(web.recordId).toBe(api.id)
    expect(orders.recordId).toBe(db.id)
    expect(shapes.find((shape) => shape.kind === 'arrow')).toMatchObject({
      from: web.id,
      to: orders.id,
      label: 'writes',
    })
    const exported = await callTool(client, 'export_drawio')
    expect(exported.text).toContain('<mxfile')
    expect(exported.text).toContain('Orders DB')

    // What the person has selected, and only that, when asked for the selection.
    person.awareness.setLocalState({
      user: { id: 'ada', name: 'Ada', color: '#112233', kind: 'human' },
      cursor: null,
      pageId: FIRST_PAGE_ID,
      selection: [db.id],
    })
    let selected = await callTool(client, 'read_board', { selectionOnly: true })
    await waitFor(async () => {
      selected = await callTool(client, 'read_board', { selectionOnly: true })
      return selected.text.includes('Orders DB')
    }, 'the selection seen by the MCP peer')
    expect(selected.text).not.toContain('Web app')
    // Short ids stay those of the whole page, so edit_board resolves them the same way.
    expect((selected.structuredContent as { shapes: Array<{ id: string }> }).shapes).toEqual([
      expect.objectContaining({ id: orders.id, recordId: db.id }),
    ])
    const selectedExport = await callTool(client, 'export_drawio', { selectionOnly: true })
    expect(selectedExport.text).toContain('Orders DB')
    expect(selectedExport.text).not.toContain('Web app')
    await client.close()
  })

  it('draws Mermaid and a spec as a peer a person sees arrive, named after the client, with its cursor', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    drawPeopleBoard(person)
    const seen: Presence[] = []
    person.awareness.on('change', () => seen.push(...aiPresences(person)))
    const shapeCounts: number[] = []
    person.doc.on('update', () => shapeCounts.push(shapesOf(person.doc).length))

    const { client, transport } = await connectMcp(server.url, room.links.edit.id, 'Claude Code')
    await waitFor(
      () => aiPresences(person).some((peer) => peer.name === 'Claude Code (AI)'),
      'the MCP peer in the room',
    )

    const drawn = await callTool(client, 'draw_diagram', { mermaid: FLOWCHART })
    expect(drawn.isError).toBeFalsy()
    const result = drawn.structuredContent as {
      created: string[]
      nodes: Record<string, string>
      shapes: number
      arrows: number
    }
    expect(result).toMatchObject({ shapes: 4, arrows: 3 })
    expect(Object.keys(result.nodes).sort()).toEqual(['A', 'B', 'C', 'D'])
    await waitFor(() => shapesOf(person.doc).length === 3 + 7, 'the drawing in the person’s doc')
    // The shapes arrived one step at a time, not in one go, and the cursor moved while drawing.
    expect(new Set(shapeCounts.filter((count) => count > 3 && count < 10)).size).toBeGreaterThan(1)
    expect(seen.some((peer) => peer.name === 'Claude Code (AI)' && peer.cursor !== null)).toBe(true)
    expect(labelsOf(person.doc)).toEqual(
      expect.arrayContaining(['Browser', 'Signed in?', 'API', 'Login', 'yes', 'no']),
    )
    // Placed in free space: no new shape overlaps the people's drawing (x 0..560, y 0..80).
    const records = readRecords(person.doc)
    for (const id of Object.values(result.nodes)) {
      const shape = records.get(id) as TLShape
      expect(shape.x >= 560 || shape.y >= 80 || shape.x + 100 <= 0 || shape.y + 60 <= 0).toBe(true)
    }
    // It says so in the chat, with a job the room can undo.
    await waitFor(
      () => chatOf(person.doc).some((message) => message.author.name === 'Claude Code (AI)'),
      'chat message',
    )
    const message = chatOf(person.doc).find((entry) => entry.author.name === 'Claude Code (AI)')!
    expect(message).toMatchObject({
      author: { kind: 'ai' },
      jobId: (drawn.structuredContent as { jobId: string }).jobId,
    })
    expect(message.text).toMatch(/Drew 4 shapes and 3 arrows/)

    const spec = await callTool(client, 'draw_diagram', {
      spec: {
        nodes: [
          { id: 'queue', label: 'Queue', shape: 'hexagon', color: 'orange', group: 'backend' },
          { id: 'worker', label: 'Worker', group: 'backend' },
        ],
        edges: [{ from: 'queue', to: 'worker', label: 'jobs', dash: 'dashed' }],
        groups: [{ id: 'backend', label: 'Backend' }],
      },
    })
    expect(spec.isError).toBeFalsy()
    expect(spec.structuredContent).toMatchObject({ shapes: 3, arrows: 1 })
    await waitFor(() => labelsOf(person.doc).includes('Worker'), 'the spec in the person’s doc')
    const frame = shapesOf(person.doc).find((shape) => (shape as TLShape).type === 'frame') as TLShape
    expect((frame.props as { name: string }).name).toBe('Backend')
    expectValidDoc(person)
    await transport.terminateSession()
    await client.close()
    await waitFor(() => aiPresences(person).length === 0, 'the MCP peer left when the session closed')
  })

  it('edits by short id, then undo_last takes exactly that edit back', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    const { api, db } = drawPeopleBoard(person)
    const { client } = await connectMcp(server.url, room.links.edit.id, 'Cursor')
    let reading = await callTool(client, 'read_board')
    await waitFor(async () => {
      reading = await callTool(client, 'read_board')
      return reading.text.includes('Orders DB')
    }, 'the board in the MCP peer')
    const shapes = (reading.structuredContent as { shapes: Array<{ id: string; label: string }> }).shapes
    const web = shapes.find((shape) => shape.label === 'Web app')!.id
    const orders = shapes.find((shape) => shape.label === 'Orders DB')!.id
    const before = readRecords(person.doc).get(api.id)

    const edited = await callTool(client, 'edit_board', {
      operations: [
        { op: 'update', id: web, label: 'Storefront' },
        { op: 'restyle', id: orders, color: 'red' },
        { op: 'add', node: { id: 'cache', label: 'Cache' }, near: orders },
        { op: 'connect', from: web, to: 'cache', label: 'reads' },
        { op: 'delete', id: 's99' },
      ],
    })
    expect(edited.isError).toBeFalsy()
    expect(edited.text).toMatch(/Left out: .*s99/)
    await waitFor(
      () => labelsOf(person.doc).includes('Storefront') && labelsOf(person.doc).includes('Cache'),
      'the edit',
    )
    expect((readRecords(person.doc).get(db.id) as TLShape).props).toMatchObject({ color: 'red' })
    expectValidDoc(person)

    const undone = await callTool(client, 'undo_last')
    expect(undone.isError).toBeFalsy()
    await waitFor(() => !labelsOf(person.doc).includes('Cache'), 'the added shape gone')
    expect(readRecords(person.doc).get(api.id)).toEqual(before)
    expect((readRecords(person.doc).get(db.id) as TLShape).props).not.toMatchObject({ color: 'red' })
    expect(labelsOf(person.doc)).toEqual(expect.arrayContaining(['Web app', 'Orders DB', 'writes']))
    // Nothing more of this session's to undo.
    expect((await callTool(client, 'undo_last')).isError).toBe(true)
    await client.close()
  })

  it('"Undo this" in the chat takes back an MCP drawing like a co-pilot job', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    const { client } = await connectMcp(server.url, room.links.edit.id)
    const drawn = await callTool(client, 'draw_diagram', { mermaid: 'graph TD; X[One] --> Y[Two]' })
    const { jobId } = drawn.structuredContent as { jobId: string }
    await waitFor(() => labelsOf(person.doc).includes('Two'), 'the drawing')
    const response = await fetch(`${server.url}/api/ai/jobs/${jobId}/undo`, {
      method: 'POST',
      headers: { 'x-link-id': room.links.edit.id },
    })
    expect(response.status).toBe(200)
    // Two boxes and the arrow (counted as shapes; its bindings go with it).
    expect(await response.json()).toMatchObject({ removed: 3 })
    await waitFor(() => shapesOf(person.doc).length === 0, 'the drawing undone')
    // The session's own undo now finds it done already, and says so.
    const again = await callTool(client, 'undo_last')
    expect(again.text).toMatch(/undone already/)
    await client.close()
  })

  it('garbage arguments are tool errors that change nothing', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.edit.id)
    providers.push(person)
    drawPeopleBoard(person)
    const { client } = await connectMcp(server.url, room.links.edit.id)
    await waitFor(async () => (await callTool(client, 'read_board')).text.includes('Orders DB'), 'board read')
    const before = JSON.stringify([...readRecords(person.doc).entries()].sort())
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['draw_diagram', {}],
      ['draw_diagram', { mermaid: FLOWCHART, spec: { nodes: [], edges: [] } }],
      ['draw_diagram', { mermaid: 'pie title Pets\n "Dogs" : 386' }],
      ['draw_diagram', { mermaid: 'graph TD\n A[unclosed --> B' }],
      ['draw_diagram', { spec: { nodes: 'lots' } }],
      ['draw_diagram', { spec: { nodes: [{ id: 'a', label: 'A', shape: 'pentagram' }], edges: [] } }],
      ['draw_diagram', { spec: { nodes: [], edges: [{ from: 'x', to: 'y' }] } }],
      ['draw_diagram', { spec: { nodes: [{ id: 'a', label: 'x'.repeat(10_000) }] } }],
      ['edit_board', { operations: [] }],
      ['edit_board', { operations: [{ op: 'explode', id: 's1' }] }],
      ['edit_board', { operations: [{ op: 'move', id: 's1', dx: 'far', dy: 0 }] }],
      ['edit_board', { operations: [{ op: 'move', id: 's1', dx: 1e12, dy: 0 }] }],
      ['edit_board', { operations: [{ op: 'delete', id: 'shape:nope' }] }],
      ['edit_board', { operations: [{ op: 'update', id: 's1', label: 42 }] }],
      ['read_board', { pageId: 'page:nowhere' }],
      ['read_board', { selectionOnly: 'yes' }],
      ['export_drawio', { selectionOnly: true }],
    ]
    for (const [tool, args] of attempts) {
      const result = await callTool(client, tool, args)
      expect(result.isError, `${tool} ${JSON.stringify(args).slice(0, 80)} → ${result.text}`).toBe(true)
      expect(result.text.length).toBeGreaterThan(10)
    }
    // An unknown tool is refused too, and the session still works afterwards.
    expect((await callTool(client, 'format_disk')).isError).toBe(true)
    expect((await callTool(client, 'read_board')).text).toContain('Orders DB')
    expect(JSON.stringify([...readRecords(person.doc).entries()].sort())).toBe(before)
    expectValidDoc(person)
    await client.close()
  })

  it('revoking the link ends the session: the peer leaves and further calls are refused', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.view.id)
    providers.push(person)
    const { client } = await connectMcp(server.url, room.links.edit.id, 'VS Code')
    await waitFor(
      () => aiPresences(person).some((peer) => peer.name === 'VS Code (AI)'),
      'the MCP peer in the room',
    )
    const revoked = await fetch(`${server.url}/api/rooms/${room.roomId}/links/${room.links.edit.id}`, {
      method: 'DELETE',
      headers: { 'x-owner-key': room.ownerKey },
    })
    expect(revoked.status).toBe(204)
    await waitFor(() => aiPresences(person).length === 0, 'the MCP peer gone from the room')
    const after = await client
      .callTool({ name: 'draw_diagram', arguments: { mermaid: FLOWCHART } })
      .then((result) => result as { isError?: boolean })
      .catch((error: Error) => error)
    expect(after instanceof Error || after.isError === true).toBe(true)
    expect(shapesOf(person.doc)).toHaveLength(0)
    await client.close().catch(() => undefined)
  })

  it('a link turned view-only takes the write tools away; a link that expires ends the session', async () => {
    const room = await createRoom(server.url)
    const person = await connectSynced(server.url, room.links.view.id)
    providers.push(person)
    const { client } = await connectMcp(server.url, room.links.edit.id, 'Zed')
    const patch = (body: Record<string, unknown>) =>
      fetch(`${server.url}/api/rooms/${room.roomId}/links/${room.links.edit.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-owner-key': room.ownerKey },
        body: JSON.stringify(body),
      })
    expect((await patch({ role: 'viewer' })).status).toBe(200)
    await waitFor(
      async () => !(await client.listTools()).tools.some((tool) => tool.name === 'draw_diagram'),
      'the write tools gone',
    )
    expect((await callTool(client, 'edit_board', { operations: [{ op: 'delete', id: 's1' }] })).isError).toBe(
      true,
    )
    expect(
      (await patch({ role: 'editor', expiresAt: new Date(Date.now() + 500).toISOString() })).status,
    ).toBe(200)
    await waitFor(
      () => aiPresences(person).some((peer) => peer.name === 'Zed (AI)'),
      'the MCP peer in the room',
    )
    await waitFor(() => aiPresences(person).length === 0, 'the session ended when its link expired', 15_000)
    await client.close()
  })
})
