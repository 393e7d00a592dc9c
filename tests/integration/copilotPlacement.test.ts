/**
 * Drawn where the person is looking (issue 18), through the API as the panel sends it: the
 * request's viewport far from the origin puts the drawing inside it, on none of the shapes there;
 * the job reports the drawing's bounds (the requester's camera uses them); the co-pilot's cursor
 * is on the board from its first shape to its last; the chat names the requester by their
 * presence name; a viewport that is not one is refused.
 */
import type { RunningServer } from '@drawbridge/server'
import {
  buildGeoShape,
  getIndices,
  openRecords,
  pageBoxOf,
  readRecords,
  type TLShape,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { chatOf, requestJob, shapesOf, waitForJob } from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

const FLOWCHART = 'graph LR\n  A[Sign up] --> B{Verified?}\n  B -->|yes| C[Pay]\n  B -->|no| D[Resend]'

describe('co-pilot placement', () => {
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

  it('draws inside the requester’s far-away view, on nothing, with its cursor there throughout', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const view = { pageId: 'page:page', x: 48_000, y: 36_000, w: 2000, h: 1200 }
    const [first, second] = getIndices(2)
    const existing = [
      buildGeoShape({ x: view.x + 880, y: view.y + 510, w: 240, h: 180, text: 'mine', index: first! }),
      buildGeoShape({ x: view.x + 20, y: view.y + 20, w: 120, h: 80, text: 'also mine', index: second! }),
    ]
    const records = openRecords(editor.doc)
    editor.doc.transact(() => {
      for (const shape of existing) records.set(shape.id, shape)
    })
    await waitFor(async () => {
      const board = await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio`)
      return (await board.text()).includes('also mine')
    }, 'the shapes reach the server')
    const pageId = [...readRecords(editor.doc).values()].find((record) => record.typeName === 'page')!.id
    view.pageId = pageId

    // Whenever the drawing grows, is the co-pilot's cursor on the board?
    const cursorAtGrowth: boolean[] = []
    let count = 0
    editor.doc.on('update', () => {
      const drawn = shapesOf(editor.doc).filter((shape) => shape.id.startsWith('shape:ai')).length
      if (drawn === count) return
      count = drawn
      const agent = [...editor.awareness.getStates().values()].find(
        (state) => (state as { user?: { kind?: string } }).user?.kind === 'ai',
      ) as { cursor: unknown } | undefined
      cursorAtGrowth.push(agent?.cursor !== null && agent?.cursor !== undefined)
    })

    const response = await requestJob(server.url, room.links.edit.id, {
      prompt: FLOWCHART,
      viewport: view,
      authorName: 'Guest 8186\u0007',
    })
    expect(response.status).toBe(202)
    const { jobId } = (await response.json()) as { jobId: string }
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('succeeded')
    await waitFor(() => count === 7, 'four shapes and three arrows')

    const board = readRecords(editor.doc)
    const mine = existing.map((shape) => pageBoxOf(shape, board))
    for (const shape of shapesOf(editor.doc).filter((record) => record.id.startsWith('shape:ai'))) {
      const box = pageBoxOf(shape as TLShape, board)
      expect(box.x >= view.x && box.y >= view.y).toBe(true)
      expect(box.x + box.w <= view.x + view.w && box.y + box.h <= view.y + view.h).toBe(true)
      for (const other of mine) {
        const apart =
          box.x >= other.x + other.w ||
          other.x >= box.x + box.w ||
          box.y >= other.y + other.h ||
          other.y >= box.y + box.h
        expect(apart, `${shape.id} on an existing shape`).toBe(true)
      }
    }
    // The job says where the drawing is, inside the view.
    expect(state.bounds?.pageId).toBe(pageId)
    expect(state.bounds!.x).toBeGreaterThanOrEqual(view.x)
    expect(state.bounds!.x + state.bounds!.w).toBeLessThanOrEqual(view.x + view.w)
    // The cursor was there at every step of the drawing.
    expect(cursorAtGrowth.length).toBeGreaterThan(2)
    expect(cursorAtGrowth.every(Boolean)).toBe(true)

    // The chat names the requester as everyone sees them (control characters dropped).
    await waitFor(() => chatOf(editor.doc).length === 2, 'prompt and reply')
    expect(chatOf(editor.doc)[0]!.author.name).toBe('Guest 8186')
    destroyAll([editor])
  })

  it('refuses a viewport that is not one', async () => {
    const room = await createRoom(server.url)
    for (const viewport of [
      { pageId: 'page:page', x: 0, y: 0, w: -5, h: 10 },
      { pageId: '', x: 0, y: 0, w: 5, h: 10 },
      { pageId: 'page:page', x: Number.MAX_VALUE, y: 0, w: 5, h: 10 },
    ]) {
      const response = await requestJob(server.url, room.links.edit.id, { prompt: FLOWCHART, viewport })
      expect(response.status).toBe(400)
    }
  })
})
