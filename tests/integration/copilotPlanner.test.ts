/**
 * The co-pilot without a model: a Mermaid flowchart typed by one person is drawn into the room by
 * an agent peer (its own presence, progressive shapes, chat), followed over socket.io, exported as
 * draw.io, undone; free-form prompts get a plain "needs a model"; plan limits and the queue cap.
 */

import type { RunningServer } from '@drawbridge/server'
import {
  buildBoundArrow,
  buildGeoShape,
  buildNoteShape,
  getIndices,
  labelOf,
  openRecords,
  pageBoxOf,
  readRecords,
  type TLArrowBinding,
  type TLShape,
  validateDocumentRecord,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import {
  chatOf,
  jobState,
  labelsOf,
  requestJob,
  shapesOf,
  startJob,
  subscribe,
  waitForJob,
} from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

const FLOWCHART = `graph LR
  A[Browser] --> B{Logged in?}
  B -->|yes| C[API]
  B -->|no| D((Login))
  C --> E[Database]`

describe('co-pilot with the built-in planner', () => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database, { AI_POLL_MS: '50' })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('draws a Mermaid flowchart as a peer everyone sees, reports progress, exports and undoes it', async () => {
    const room = await createRoom(server.url)
    const watcher = await connectSynced(server.url, room.links.view.id)
    const agentPresence: Array<{ name: string; kind: string; cursor: unknown }> = []
    watcher.awareness.on('change', () => {
      for (const state of watcher.awareness.getStates().values()) {
        const user = (state as { user?: { name: string; kind: string } }).user
        if (user?.kind === 'ai')
          agentPresence.push({ ...user, cursor: (state as { cursor?: unknown }).cursor })
      }
    })
    const shapeCounts: number[] = []
    watcher.doc.on('update', () => shapeCounts.push(shapesOf(watcher.doc).length))

    const response = await requestJob(server.url, room.links.edit.id, { prompt: FLOWCHART })
    expect(response.status).toBe(202)
    const { jobId, position } = (await response.json()) as { jobId: string; position: number }
    expect(position).toBeGreaterThanOrEqual(1)
    const { socket, events } = await subscribe(server.url, jobId)
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('succeeded')
    await waitFor(() => events.some(([name]) => name === 'ai:done'), 'ai:done over socket.io')
    socket.close()

    // Five nodes and four arrows, every record valid, labels as written.
    await waitFor(() => shapesOf(watcher.doc).length === 9, 'nine shapes in the watcher doc')
    for (const shape of shapesOf(watcher.doc)) expect(validateDocumentRecord(shape).ok).toBe(true)
    expect(labelsOf(watcher.doc)).toEqual(
      expect.arrayContaining(['Browser', 'Logged in?', 'API', 'Login', 'Database', 'yes', 'no']),
    )
    const bindings = [...(await import('@drawbridge/shared')).readRecords(watcher.doc).values()].filter(
      (record) => record.typeName === 'binding',
    )
    expect(bindings).toHaveLength(8)
    // Shapes arrived in several steps (progressively), not in one update.
    expect(new Set(shapeCounts.filter((count) => count > 0 && count < 9)).size).toBeGreaterThan(2)
    // The agent was present with its own name and a cursor on the board.
    expect(agentPresence.some((peer) => peer.name === 'Co-pilot' && peer.cursor !== null)).toBe(true)
    // Progress went queued/started → progress → done.
    const names = events.map(([name]) => name)
    expect(names.at(-1)).toBe('ai:done')
    // Both the prompt and the reply are in the room's chat.
    await waitFor(() => chatOf(watcher.doc).length === 2, 'the reply in the chat')
    const chat = chatOf(watcher.doc)
    expect(chat.map((entry) => entry.author.kind)).toEqual(['human', 'ai'])
    expect(chat[0]!.text).toContain('graph LR')
    // The anonymous requester is not identified by their address in a chat every viewer reads.
    expect(JSON.stringify(chat)).not.toContain('127.0.0.1')
    expect(chat[1]!.text).toMatch(/Drew 5 shapes and 4 arrows/)
    expect(chat[1]!.text).toContain(`/api/ai/jobs/${jobId}/export.drawio`)

    // What the job drew leaves as draw.io XML.
    const exportUrl = `${server.url}/api/ai/jobs/${jobId}/export.drawio`
    // Only with a link to the board: a job id alone is not enough (401), nor another board's link (403).
    expect((await fetch(exportUrl)).status).toBe(401)
    const elsewhere = await createRoom(server.url)
    expect((await fetch(exportUrl, { headers: { 'x-link-id': elsewhere.links.view.id } })).status).toBe(403)
    const exported = await (await fetch(exportUrl, { headers: { 'x-link-id': room.links.view.id } })).text()
    for (const label of ['Browser', 'Logged in?', 'Database']) expect(exported).toContain(label)
    expect(exported.match(/edge="1"/g)).toHaveLength(4)

    // "Undo this" removes exactly what the job drew, and says how many shapes (not records) went.
    const undo = await fetch(`${server.url}/api/ai/jobs/${jobId}/undo`, {
      method: 'POST',
      headers: { 'x-link-id': room.links.edit.id },
    })
    expect(undo.status).toBe(200)
    expect(((await undo.json()) as { removed: number }).removed).toBe(9)
    await waitFor(() => shapesOf(watcher.doc).length === 0, 'shapes removed for everyone')
    destroyAll([watcher])
  })

  it('undoes once under simultaneous clicks, keeping what people put inside its frame and unbinding their arrows', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const jobId = await startJob(
      server.url,
      room.links.edit.id,
      'graph LR\n  subgraph Backend\n    A[API] --> B[DB]\n  end',
    )
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(
      () => shapesOf(editor.doc).some((shape) => (shape as TLShape).type === 'frame'),
      'the frame arrives',
    )
    const drawn = readRecords(editor.doc)
    const frame = [...drawn.values()].find(
      (record) => record.typeName === 'shape' && record.type === 'frame',
    ) as TLShape
    const api = [...drawn.values()].find(
      (record) => record.typeName === 'shape' && record.type === 'geo' && labelOf(record) === 'API',
    ) as TLShape

    // Someone puts a note inside the co-pilot's frame and draws an arrow to its API box.
    const [noteIndex, boxIndex, arrowIndex] = getIndices(3)
    const note = buildNoteShape({ x: 10, y: 60, text: 'mine', index: noteIndex!, parentId: frame.id })
    const box = buildGeoShape({
      x: frame.x,
      y: frame.y - 400,
      w: 100,
      h: 60,
      text: 'client',
      index: boxIndex!,
    })
    const arrow = buildBoundArrow({
      from: { id: box.id, x: box.x + 50, y: box.y + 30 },
      to: { id: api.id, x: frame.x + 50, y: frame.y + 50 },
      index: arrowIndex!,
    })
    const records = openRecords(editor.doc)
    editor.doc.transact(() => {
      for (const record of [note, box, ...arrow]) records.set(record.id, record)
    })
    await waitFor(async () => {
      const state = await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio`)
      return (await state.text()).includes('client')
    }, 'the human edits reach the server')

    const undo = () =>
      fetch(`${server.url}/api/ai/jobs/${jobId}/undo`, {
        method: 'POST',
        headers: { 'x-link-id': room.links.edit.id },
      })
    const answers = await Promise.all([undo(), undo()])
    const removed = await Promise.all(
      answers.map(async (answer) => ((await answer.json()) as { removed: number }).removed),
    )
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    expect(removed.sort()).toEqual([0, 4]) // frame, two boxes and an arrow (its bindings go too) — once

    await waitFor(() => !readRecords(editor.doc).has(frame.id), 'the frame is gone for everyone')
    const after = readRecords(editor.doc)
    const kept = after.get(note.id) as TLShape
    expect(kept.parentId).toBe(frame.parentId)
    expect([kept.x, kept.y]).toEqual([frame.x + 10, frame.y + 60])
    expect(after.has(box.id) && after.has(arrow[0].id)).toBe(true)
    for (const record of after.values()) {
      expect(validateDocumentRecord(record).ok).toBe(true)
      if (record.typeName === 'binding') {
        const binding = record as TLArrowBinding
        expect(after.has(binding.fromId) && after.has(binding.toId), binding.id).toBe(true)
      }
    }
    destroyAll([editor])
  })

  it('ends a free-form prompt as "nothing" drawn, saying in plain words what the person can do', async () => {
    const room = await createRoom(server.url)
    const watcher = await connectSynced(server.url, room.links.view.id)
    const jobId = await startJob(server.url, room.links.edit.id, 'draw our checkout flow')
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('nothing')
    expect(state.reason).toBe('needs-model')
    expect(state.shapes).toBe(0)
    await waitFor(() => chatOf(watcher.doc).length === 2, 'reply in chat')
    const reply = chatOf(watcher.doc)[1]!
    expect(reply.text).toMatch(/ask the board's owner to connect/i)
    expect(reply.text).toMatch(/paste a Mermaid flowchart/i)
    // The administrator's detail is in the docs, not in a chat every board member reads.
    expect(reply.text).not.toMatch(/OPENAI|env|server/i)
    // Nothing to undo, so no "Undo this".
    expect(reply.undoable).toBe(false)
    expect(shapesOf(watcher.doc)).toHaveLength(0)

    // A flowchart that does not parse says which line, to the person; also "nothing".
    const broken = await startJob(server.url, room.links.edit.id, 'graph TD\n  A[open --> B')
    const brokenState = await waitForJob(server.url, broken)
    expect(brokenState.status).toBe('nothing')
    expect(brokenState.reason).toBe('unreadable')
    await waitFor(() => chatOf(watcher.doc).length === 4, 'second reply in chat')
    expect(chatOf(watcher.doc)[3]!.text).toMatch(/^I couldn't read that Mermaid flowchart: line 2/)
    destroyAll([watcher])
  })

  it('turns an attached CSV edge list into a diagram, and answers "export this to draw.io" with a link', async () => {
    const room = await createRoom(server.url)
    const watcher = await connectSynced(server.url, room.links.view.id)
    const response = await requestJob(server.url, room.links.edit.id, {
      attachment: {
        name: 'services.csv',
        text: 'from,to,label\nWeb,API,calls\nAPI,Queue,enqueues\nQueue,Worker,',
      },
    })
    expect(response.status).toBe(202)
    const { jobId } = (await response.json()) as { jobId: string }
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(() => shapesOf(watcher.doc).length === 7, 'four nodes and three arrows')
    expect(labelsOf(watcher.doc)).toEqual(expect.arrayContaining(['Web', 'API', 'Queue', 'Worker', 'calls']))

    const exportJob = await startJob(server.url, room.links.edit.id, 'export this to draw.io')
    expect((await waitForJob(server.url, exportJob)).status).toBe('succeeded')
    await waitFor(() => chatOf(watcher.doc).length === 4, 'export answer in chat')
    expect(chatOf(watcher.doc)[3]!.text).toContain(`/api/ai/jobs/${exportJob}/export.drawio`)
    const board = await (
      await fetch(`${server.url}/api/ai/jobs/${exportJob}/export.drawio?link=${room.links.view.id}`)
    ).text()
    for (const label of ['Web', 'Worker']) expect(board).toContain(label)
    destroyAll([watcher])
  })

  it('draws Mermaid 11 as written (shape catalogue, links to subgraphs) and says in the chat what it did not draw', async () => {
    const room = await createRoom(server.url)
    const watcher = await connectSynced(server.url, room.links.view.id)
    const jobId = await startJob(
      server.url,
      room.links.edit.id,
      `flowchart LR
  db@{ shape: cyl, label: "Orders" }
  user@{ icon: "fa:user", label: "Shopper" }
  subgraph shop [Shop]
    cart --> pay
  end
  user --> shop --> db
  click cart "https://example.com"`,
    )
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(() => chatOf(watcher.doc).length === 2, 'reply in chat')
    const reply = chatOf(watcher.doc)[1]!.text
    expect(reply).toMatch(/Drew 5 shapes and 3 arrows from your Mermaid diagram/)
    expect(reply).toMatch(/Not drawn as written: .*node user: its icon "fa:user" is not drawn/)
    expect(reply).toMatch(/click actions \(on cart\) are not carried over/)
    const records = readRecords(watcher.doc)
    const frame = [...records.values()].find((r) => r.typeName === 'shape' && r.type === 'frame') as TLShape
    expect(frame).toBeDefined()
    const toFrame = [...records.values()].filter(
      (r): r is TLArrowBinding => r.typeName === 'binding' && r.toId === frame.id,
    )
    expect(toFrame).toHaveLength(2)
    const db = shapesOf(watcher.doc).find((shape) => labelOf(shape as TLShape) === 'Orders')
    expect(db?.meta).toMatchObject({ mermaidShape: 'cyl' })
    destroyAll([watcher])
  })

  it('draws a Mermaid sequence diagram without a model: participants, lifelines, messages in order', async () => {
    const room = await createRoom(server.url)
    const watcher = await connectSynced(server.url, room.links.view.id)
    const jobId = await startJob(
      server.url,
      room.links.edit.id,
      'sequenceDiagram\n  Alice->>Bob: Hello Bob\n  Bob-->>Alice: Hi Alice',
    )
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(() => chatOf(watcher.doc).length === 2, 'reply in chat')
    expect(chatOf(watcher.doc)[1]!.text).toMatch(/Drew 4 shapes and 2 arrows/)
    expect(labelsOf(watcher.doc)).toEqual(expect.arrayContaining(['Alice', 'Bob', 'Hello Bob', 'Hi Alice']))
    destroyAll([watcher])
  })

  it('turns selected sticky notes into a flowchart beside them when asked, without a model', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const viewer = await connectSynced(server.url, room.links.view.id)
    const [first, second, third, other] = getIndices(4)
    const notes = [
      buildNoteShape({ x: 500, y: 8, text: 'Pay', index: first! }),
      buildNoteShape({ x: 0, y: 0, text: 'Sign up', index: second! }),
      buildNoteShape({ x: 250, y: -10, text: 'Verify email', index: third! }),
    ]
    const unrelated = buildGeoShape({ x: 0, y: 400, w: 300, h: 100, text: 'Other', index: other! })
    const records = openRecords(editor.doc)
    editor.doc.transact(() => {
      for (const record of [...notes, unrelated]) records.set(record.id, record)
    })
    await waitFor(() => shapesOf(viewer.doc).length === 4, 'the notes reach the server')

    const response = await requestJob(server.url, room.links.edit.id, {
      prompt: 'turn this list into a flowchart',
      selection: notes.map((note) => note.id),
    })
    expect(response.status).toBe(202)
    const { jobId } = (await response.json()) as { jobId: string }
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(() => shapesOf(viewer.doc).length === 4 + 5, 'three steps and two arrows')

    const board = readRecords(viewer.doc)
    // What the co-pilot drew: everything but the people's shapes (a random id may contain "ai" too).
    const people = new Set<string>([...notes, unrelated].map((shape) => shape.id))
    const drawn = shapesOf(viewer.doc).filter((shape) => !people.has(shape.id)) as TLShape[]
    const nodes = drawn.filter((shape) => shape.type !== 'arrow')
    const labelOfId = new Map(nodes.map((node) => [node.id, labelOf(node)]))
    expect([...labelOfId.values()].sort()).toEqual(['Pay', 'Sign up', 'Verify email'])
    // Reading order of the notes (left to right), not their creation order: Sign up → Verify email → Pay.
    const links = [...board.values()]
      .filter((record): record is TLArrowBinding => record.typeName === 'binding')
      .reduce((ends, binding) => {
        const entry = ends.get(binding.fromId) ?? {}
        entry[binding.props.terminal] = labelOfId.get(binding.toId)
        return ends.set(binding.fromId, entry)
      }, new Map<string, { start?: string; end?: string }>())
    expect([...links.values()].map((end) => `${end.start} → ${end.end}`).sort()).toEqual([
      'Sign up → Verify email',
      'Verify email → Pay',
    ])
    // Beside the selection (to its right), overlapping nothing that was there.
    const selectionRight = 500 + 200
    for (const node of nodes) {
      const box = pageBoxOf(node, board)
      expect(box.x).toBeGreaterThan(selectionRight)
      for (const existing of [...notes, unrelated]) {
        const other = pageBoxOf(existing, board)
        const apart =
          box.x >= other.x + other.w ||
          other.x >= box.x + box.w ||
          box.y >= other.y + other.h ||
          other.y >= box.y + box.h
        expect(apart, `${labelOf(node)} overlaps ${labelOf(existing)}`).toBe(true)
      }
    }
    await waitFor(() => chatOf(viewer.doc).length === 2, 'reply in chat')
    expect(chatOf(viewer.doc)[1]!.text).toMatch(/^Drew 3 shapes and 2 arrows from the selection\./)
    destroyAll([editor, viewer])
  })

  it('refuses viewers and empty prompts; what the planner answers spends none of the plan’s quota', async () => {
    const room = await createRoom(server.url)
    expect((await requestJob(server.url, room.links.view.id, { prompt: 'A -> B' })).status).toBe(403)
    expect((await requestJob(server.url, room.links.edit.id, { prompt: '   ' })).status).toBe(400)
    // Free plan: five an hour — of model requests. Six arrow lists later, all five are left
    // (the plan's limits with a model: copilotQuotas.test.ts).
    for (let index = 0; index < 6; index++) {
      const jobId = await startJob(server.url, room.links.edit.id, `A${index} -> B${index}`)
      expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    }
    const quota = (await (await fetch(`${server.url}/api/links/${room.links.edit.id}/ai/quota`)).json()) as {
      remaining: { hour: number; day: number }
    }
    expect(quota.remaining).toEqual({ hour: 5, day: 10 })
  })

  it('counts one at a time: a second request while the first waits is 429 "concurrent"', async () => {
    const queueOnly = await startTestServer(database, { AI_WORKERS: '0' })
    try {
      const room = await createRoom(queueOnly.url)
      const first = await startJob(queueOnly.url, room.links.edit.id, 'A -> B')
      expect((await jobState(queueOnly.url, first)).status).toBe('queued')
      const second = await requestJob(queueOnly.url, room.links.edit.id, { prompt: 'C -> D' })
      expect(second.status).toBe(429)
      expect(((await second.json()) as { limit: string }).limit).toBe('concurrent')
    } finally {
      await queueOnly.stop()
    }
  })
})

describe('the queue cap', () => {
  it('answers 503 when AI_QUEUE_MAX jobs are waiting, and positions count up', async () => {
    const database = await createTestDatabase('postgres')
    const server = await startTestServer(database, { AI_WORKERS: '0', AI_QUEUE_MAX: '2' })
    try {
      const positions: number[] = []
      for (let index = 0; index < 2; index++) {
        const room = await createRoom(server.url)
        const response = await requestJob(server.url, room.links.edit.id, { prompt: 'A -> B' })
        expect(response.status).toBe(202)
        positions.push(((await response.json()) as { position: number }).position)
      }
      expect(positions).toEqual([1, 2])
      const room = await createRoom(server.url)
      const refused = await requestJob(server.url, room.links.edit.id, { prompt: 'A -> B' })
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('30')
    } finally {
      await server.stop()
      await database.drop()
    }
  })
})
