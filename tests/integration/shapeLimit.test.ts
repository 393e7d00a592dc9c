/**
 * A page holds at most MAX_SHAPES_PER_PAGE shapes: on a page near the limit, a draw.io import, a
 * co-pilot request, an MCP `draw_diagram` call and restoring a version past it are each refused
 * with words that say why, and the board is left as it was.
 */

import type { RunningServer } from '@drawbridge/server'
import { buildGeoShape, getIndices, MAX_SHAPES_PER_PAGE, openRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { chatOf, shapesOf, startJob, waitForJob } from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { callTool, connectMcp } from './support/mcp'
import { startTestServer } from './support/servers'

/** Shapes written per transaction (each update stays well below the server's update limit). */
const BATCH = 2_000

/** Adds `count` plain rectangles to the first page, in batches. */
function fillPage(doc: Y.Doc, count: number) {
  const records = openRecords(doc)
  const indices = getIndices(count)
  for (let start = 0; start < count; start += BATCH) {
    doc.transact(() => {
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const shape = buildGeoShape({
          x: (i % 100) * 20,
          y: Math.floor(i / 100) * 20,
          w: 10,
          h: 10,
          index: indices[i]!,
        })
        records.set(shape.id, shape)
      }
    })
  }
}

const THREE_BOXES = `<mxfile><diagram id="d" name="Page-1"><mxGraphModel><root>
<mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="a" value="One" style="rounded=0;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="80" height="40" as="geometry"/></mxCell>
<mxCell id="b" value="Two" style="rounded=0;" vertex="1" parent="1"><mxGeometry x="120" y="0" width="80" height="40" as="geometry"/></mxCell>
<mxCell id="c" value="Three" style="rounded=0;" vertex="1" parent="1"><mxGeometry x="240" y="0" width="80" height="40" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>`

const FLOWCHART = `graph LR
  A[Browser] --> B[API]
  B --> C[Database]`

/** The refusal for adding `count` shapes to the 9,998 already on the page. */
const tooFull = (count: number) =>
  new RegExp(
    `This page is too full: it holds 9,998 shapes and this would add ${count}, but a page may hold at most 10,000`,
  )

describe('the shapes-per-page limit on the server', () => {
  let database: TestDatabase
  let server: RunningServer
  let room: Awaited<ReturnType<typeof createRoom>>

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database, { AI_POLL_MS: '50' })
    room = await createRoom(server.url, 'Nearly full')
    const editor = await connectSynced(server.url, room.links.edit.id)
    fillPage(editor.doc, MAX_SHAPES_PER_PAGE - 2)
    const check = await connectSynced(server.url, room.links.view.id)
    await waitFor(() => shapesOf(check.doc).length === MAX_SHAPES_PER_PAGE - 2, 'the board is stored', 60_000)
    destroyAll([editor, check])
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('refuses a draw.io import that would pass the limit, with words, and adds nothing', async () => {
    const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/import`, {
      method: 'POST',
      body: THREE_BOXES,
    })
    expect(response.status).toBe(422)
    expect(((await response.json()) as { error: string }).error).toMatch(tooFull(3))
    const check = await connectSynced(server.url, room.links.view.id)
    expect(shapesOf(check.doc)).toHaveLength(MAX_SHAPES_PER_PAGE - 2)
    destroyAll([check])
  })

  it('ends a co-pilot job that would pass the limit with a chat reply saying why', async () => {
    const watcher = await connectSynced(server.url, room.links.view.id)
    const jobId = await startJob(server.url, room.links.edit.id, FLOWCHART)
    const state = await waitForJob(server.url, jobId, 60_000)
    expect(state.status).toBe('failed')
    await waitFor(
      () => chatOf(watcher.doc).some((entry) => entry.jobId === jobId && entry.author.kind === 'ai'),
      'the reply',
    )
    const reply = chatOf(watcher.doc).find((entry) => entry.jobId === jobId && entry.author.kind === 'ai')
    expect(reply?.text).toMatch(tooFull(5))
    expect(shapesOf(watcher.doc)).toHaveLength(MAX_SHAPES_PER_PAGE - 2)
    destroyAll([watcher])
  }, 90_000)

  it('answers an MCP draw_diagram call that would pass the limit with a tool error', async () => {
    const { client } = await connectMcp(server.url, room.links.edit.id)
    try {
      const result = await callTool(client, 'draw_diagram', { mermaid: FLOWCHART })
      expect(result.isError).toBe(true)
      expect(result.text).toMatch(tooFull(5))
    } finally {
      await client.close()
    }
    const check = await connectSynced(server.url, room.links.view.id)
    expect(shapesOf(check.doc)).toHaveLength(MAX_SHAPES_PER_PAGE - 2)
    destroyAll([check])
  }, 90_000)

  it('refuses to restore a version whose page holds more shapes than the limit', async () => {
    const over = await createRoom(server.url, 'Over the limit')
    const editor = await connectSynced(server.url, over.links.edit.id)
    // Written by a peer straight into the doc, past what any of the server's writers allow.
    fillPage(editor.doc, MAX_SHAPES_PER_PAGE + 1)
    const check = await connectSynced(server.url, over.links.view.id)
    await waitFor(() => shapesOf(check.doc).length === MAX_SHAPES_PER_PAGE + 1, 'the board is stored', 60_000)
    await waitFor(async () => {
      const saved = await fetch(`${server.url}/api/links/${over.links.edit.id}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Too big' }),
      })
      return saved.status === 200 || saved.status === 201
    }, 'a named version')
    const listed = (await (await fetch(`${server.url}/api/links/${over.links.view.id}/versions`)).json()) as {
      versions: Array<{ id: string; name: string | null }>
    }
    const version = listed.versions.find((entry) => entry.name === 'Too big')!
    const shapes = openRecords(editor.doc)
    editor.doc.transact(() => {
      for (const shape of shapesOf(editor.doc).slice(0, 10)) shapes.delete(shape.id)
    })
    const restored = await fetch(
      `${server.url}/api/links/${over.links.edit.id}/versions/${version.id}/restore`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    )
    expect(restored.status).toBe(422)
    expect(((await restored.json()) as { error: string }).error).toMatch(
      /cannot be restored: one of its pages holds 10,001 shapes, and a page may hold at most 10,000/,
    )
    destroyAll([editor, check])
  }, 90_000)
})
