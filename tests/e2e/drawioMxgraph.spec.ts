/**
 * draw.io's own model code reads our exports in a real browser: the `mxgraph` npm package (draw.io's
 * graph library, from node_modules — nothing is downloaded) is loaded into Chromium, the page fetches
 * `GET /api/links/<id>/export.drawio` plain and `?compressed=1` from the running server, inflates
 * compressed diagrams itself (base64 → DecompressionStream('deflate-raw') → decodeURIComponent), and
 * decodes every diagram with `mxCodec` from its own parsed document. The test then checks the cells
 * mxgraph sees: how many, vertex/edge flags, parents, edge source/target terminals, labels and
 * geometry, against the board it seeded over a real y-websocket client.
 */
import { createRequire } from 'node:module'
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildPage,
  buildTextShape,
  diagramIdOf,
  FIRST_PAGE_ID,
  getIndices,
  openRecords,
  readRecords,
  type TLRecord,
} from '@drawbridge/shared'
import type { Page } from '@playwright/test'
import { connectSynced, destroyAll, waitFor } from '../integration/support/clients'
import { BASE_URL, createRoom } from './support/board'
import { expect, test } from './support/test'

/** mxClient from the `mxgraph` devDependency of shared (resolved on disk, served by Playwright). */
const MX_CLIENT = createRequire(new URL('../../shared/package.json', import.meta.url)).resolve(
  'mxgraph/javascript/mxClient.min.js',
)
/** A blank page on the server's origin, so the page fetches the export same-origin. */
const HARNESS_PATH = '/__mxgraph-harness'

/** What mxgraph saw of one cell. */
interface SeenCell {
  id: string
  vertex: boolean
  edge: boolean
  value: string | null
  parent: string | null
  source: string | null
  target: string | null
  geometry: {
    x: number
    y: number
    width: number
    height: number
    relative: boolean
    points: number
    sourcePoint: { x: number; y: number } | null
    targetPoint: { x: number; y: number } | null
  } | null
}
interface SeenDiagram {
  name: string | null
  id: string | null
  cells: SeenCell[]
}

/** The board: two pages; geo shapes, a frame with children, bound arrows with labels, text, a note. */
function board() {
  const [i1, i2, i3, i4, i5, i6, i7, i8, i9] = getIndices(9)
  const start = buildGeoShape({ x: 0, y: 0, w: 120, h: 60, text: 'Start <&>', geo: 'ellipse', index: i1! })
  const decide = buildGeoShape({ x: 0, y: 200, w: 140, h: 100, text: 'Decide?', geo: 'diamond', index: i2! })
  const frame = buildFrameShape({ x: 400, y: 0, w: 320, h: 240, name: 'Team', index: i3! })
  const inside = buildGeoShape({
    x: 40,
    y: 50,
    w: 100,
    h: 50,
    text: 'Inside',
    parentId: frame.id,
    index: i4!,
    color: 'blue',
    fill: 'solid',
  })
  const text = buildTextShape({ x: 0, y: 400, text: 'Plain words', index: i5! })
  const note = buildNoteShape({ x: 200, y: 400, text: 'Sticky', index: i6! })
  const go = buildBoundArrow({
    from: { id: start.id, x: 120, y: 30 },
    to: { id: inside.id, x: 440, y: 75 },
    index: i7!,
    text: 'go',
  })
  const decideToStart = buildBoundArrow({
    from: { id: decide.id, x: 70, y: 200 },
    to: { id: start.id, x: 60, y: 60 },
    index: i8!,
    text: 'back',
  })
  const [freeArrow] = buildBoundArrow({
    from: { id: start.id, x: 0, y: 0 },
    to: { id: start.id, x: 0, y: 0 },
    index: i9!,
  })
  const free = { ...freeArrow, x: 0, y: 600, props: { ...freeArrow.props, end: { x: 300, y: 0 }, bend: 40 } }
  const second = buildPage({ name: 'Second page', index: 'a5' as never })
  const [j1] = getIndices(1)
  const onSecond = buildGeoShape({
    x: 10,
    y: 20,
    w: 80,
    h: 40,
    text: 'Elsewhere',
    parentId: second.id,
    index: j1!,
  })
  const records: TLRecord[] = [
    start,
    decide,
    frame,
    inside,
    text,
    note,
    ...go,
    ...decideToStart,
    free,
    second,
    onSecond,
  ]
  return {
    records,
    start,
    decide,
    frame,
    inside,
    text,
    note,
    go: go[0],
    back: decideToStart[0],
    free,
    second,
    onSecond,
  }
}

/**
 * In the page: fetch the export, split it into diagrams, inflate compressed ones with the browser's
 * own DecompressionStream, and decode each with mxCodec from its own document.
 */
async function decodeInBrowser(
  page: Page,
  url: string,
): Promise<{ compressed: string | null; diagrams: SeenDiagram[] }> {
  return page.evaluate(async (exportUrl) => {
    type Mx = Record<string, unknown> & {
      mxCodec: new (doc: Document) => { decode(node: Element, into: unknown): void }
      mxGraphModel: new () => { cells: Record<string, MxCell> }
    }
    interface MxCell {
      id: string
      value: unknown
      vertex: boolean | number
      edge: boolean | number
      parent: MxCell | null
      source: MxCell | null
      target: MxCell | null
      geometry: {
        x: number
        y: number
        width: number
        height: number
        relative: boolean | number
        points: unknown[] | null
        sourcePoint: { x: number; y: number } | null
        targetPoint: { x: number; y: number } | null
      } | null
    }
    const mx = window as unknown as Mx
    const response = await fetch(exportUrl)
    if (!response.ok) throw new Error(`${exportUrl} → ${response.status}`)
    const file = new DOMParser().parseFromString(await response.text(), 'text/xml')
    if (file.documentElement.nodeName !== 'mxfile')
      throw new Error(`not an mxfile: ${file.documentElement.nodeName}`)

    async function inflate(payload: string): Promise<string> {
      const bytes = Uint8Array.from(atob(payload.trim()), (c) => c.charCodeAt(0))
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
      const uriEncoded = await new Response(stream).text()
      return decodeURIComponent(uriEncoded)
    }

    const diagrams: SeenDiagram[] = []
    for (const diagram of Array.from(file.documentElement.getElementsByTagName('diagram'))) {
      const inline = diagram.getElementsByTagName('mxGraphModel')[0]
      const modelXml = inline
        ? new XMLSerializer().serializeToString(inline)
        : await inflate(diagram.textContent ?? '')
      // Each page from its own document, as draw.io decodes a page.
      const doc = new DOMParser().parseFromString(modelXml, 'text/xml')
      if (doc.getElementsByTagName('parsererror').length > 0) throw new Error('a diagram is not well-formed')
      const model = new mx.mxGraphModel()
      new mx.mxCodec(doc).decode(doc.documentElement, model)
      const cells = Object.values(model.cells).map((cell) => ({
        id: cell.id,
        // mxCodec decodes numeric attributes as numbers: vertex="1" becomes 1.
        vertex: Boolean(cell.vertex),
        edge: Boolean(cell.edge),
        value: typeof cell.value === 'string' ? cell.value : null,
        parent: cell.parent?.id ?? null,
        source: cell.source?.id ?? null,
        target: cell.target?.id ?? null,
        geometry: cell.geometry
          ? {
              x: cell.geometry.x,
              y: cell.geometry.y,
              width: cell.geometry.width,
              height: cell.geometry.height,
              relative: Boolean(cell.geometry.relative),
              points: cell.geometry.points?.length ?? 0,
              sourcePoint: cell.geometry.sourcePoint
                ? { x: cell.geometry.sourcePoint.x, y: cell.geometry.sourcePoint.y }
                : null,
              targetPoint: cell.geometry.targetPoint
                ? { x: cell.geometry.targetPoint.x, y: cell.geometry.targetPoint.y }
                : null,
            }
          : null,
      }))
      diagrams.push({ name: diagram.getAttribute('name'), id: diagram.getAttribute('id'), cells })
    }
    return { compressed: file.documentElement.getAttribute('compressed'), diagrams }
  }, url)
}

test('mxgraph in Chromium decodes our plain and compressed exports: cells, terminals, labels, geometry', async ({
  page,
}) => {
  const room = await createRoom()
  const seeded = board()
  const editor = await connectSynced(BASE_URL(), room.links.edit.id)
  editor.doc.transact(() => {
    for (const record of seeded.records) openRecords(editor.doc).set(record.id, record)
  })
  const viewer = await connectSynced(BASE_URL(), room.links.view.id)
  await waitFor(() => readRecords(viewer.doc).has(seeded.onSecond.id), 'the board reaches the server')
  destroyAll([editor, viewer])

  // Nothing may leave localhost: every request outside the server's origin is refused and recorded.
  const origin = new URL(BASE_URL()).origin
  const outside: string[] = []
  await page.route('**/*', async (route) => {
    const url = route.request().url()
    if (url === `${origin}${HARNESS_PATH}`)
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>mxgraph harness</title>',
      })
    if (new URL(url).origin !== origin) {
      outside.push(url)
      return route.abort()
    }
    return route.continue()
  })
  await page.goto(`${origin}${HARNESS_PATH}`)
  // Without these, mxClient would fetch its resource bundles and stylesheets.
  await page.addScriptTag({
    content:
      'window.mxLoadResources = false; window.mxLoadStylesheets = false; window.mxBasePath = "/mxgraph";',
  })
  await page.addScriptTag({ path: MX_CLIENT })
  await page.evaluate(() => {
    // mxCodec finds classes through window[name]; the bundle declares them as globals, make sure.
    const mx = window as unknown as Record<string, unknown>
    for (const name of ['mxGraphModel', 'mxCell', 'mxGeometry', 'mxPoint', 'mxRectangle']) {
      if (typeof mx[name] !== 'function') throw new Error(`mxgraph did not load ${name}`)
    }
  })
  expect(
    await page.evaluate(() => (window as unknown as { mxClient: { VERSION: string } }).mxClient.VERSION),
  ).toBe('4.2.2')

  const exportUrl = `/api/links/${room.links.view.id}/export.drawio`
  const plain = await decodeInBrowser(page, exportUrl)
  const compressed = await decodeInBrowser(page, `${exportUrl}?compressed=1`)
  expect(plain.compressed).toBe('false')
  expect(compressed.compressed).toBe('true')
  // The same cells whichever way the file was written.
  expect(compressed.diagrams).toEqual(plain.diagrams)

  const { diagrams } = plain
  expect(diagrams.map((d) => d.name)).toEqual(['Page 1', 'Second page'])
  // Stable ids derived from the page ids (`drawbridge-<id without "page:">`).
  expect(diagrams.map((d) => d.id)).toEqual([diagramIdOf(FIRST_PAGE_ID), diagramIdOf(seeded.second.id)])
  expect(diagrams[0]!.id).toBe('drawbridge-page')

  for (const diagram of diagrams) {
    // Root and layer first, as draw.io expects.
    const [root, layer] = diagram.cells
    expect(root).toMatchObject({ vertex: false, edge: false, parent: null })
    expect(layer).toMatchObject({ vertex: false, edge: false, parent: root!.id })
  }

  const first = new Map(diagrams[0]!.cells.map((cell) => [cell.id, cell]))
  const cells = diagrams[0]!.cells
  // 6 shapes (ellipse, diamond, frame, its child, text, note) + 3 arrows + root + layer.
  expect(cells).toHaveLength(11)
  expect(
    cells
      .filter((c) => c.vertex)
      .map((c) => c.id)
      .sort(),
  ).toEqual(
    [
      seeded.start.id,
      seeded.decide.id,
      seeded.frame.id,
      seeded.inside.id,
      seeded.text.id,
      seeded.note.id,
    ].sort(),
  )
  expect(
    cells
      .filter((c) => c.edge)
      .map((c) => c.id)
      .sort(),
  ).toEqual([seeded.go.id, seeded.back.id, seeded.free.id].sort())
  const layerId = cells[1]!.id

  // Labels: HTML, escaped once more inside (mxgraph hands back the attribute as HTML source).
  expect(first.get(seeded.start.id)).toMatchObject({
    value: 'Start &lt;&amp;&gt;',
    parent: layerId,
    geometry: { x: 0, y: 0, width: 120, height: 60, relative: false },
  })
  expect(first.get(seeded.decide.id)).toMatchObject({
    value: 'Decide?',
    geometry: { x: 0, y: 200, width: 140, height: 100 },
  })
  expect(first.get(seeded.frame.id)).toMatchObject({
    value: 'Team',
    parent: layerId,
    geometry: { x: 400, y: 0, width: 320, height: 240 },
  })
  // The frame's child is parented to it, with coordinates relative to it.
  expect(first.get(seeded.inside.id)).toMatchObject({
    value: 'Inside',
    parent: seeded.frame.id,
    geometry: { x: 40, y: 50, width: 100, height: 50 },
  })
  expect(first.get(seeded.text.id)).toMatchObject({ value: 'Plain words', geometry: { x: 0, y: 400 } })
  expect(first.get(seeded.note.id)).toMatchObject({
    value: 'Sticky',
    geometry: { x: 200, y: 400, width: 200, height: 200 },
  })

  // Edges: terminals are the bound shapes (including a frame's child), labels kept.
  expect(first.get(seeded.go.id)).toMatchObject({
    edge: true,
    vertex: false,
    value: 'go',
    source: seeded.start.id,
    target: seeded.inside.id,
    geometry: { relative: true },
  })
  expect(first.get(seeded.back.id)).toMatchObject({
    value: 'back',
    source: seeded.decide.id,
    target: seeded.start.id,
  })
  // A free arrow: no terminals, its ends as points, its bend as one waypoint.
  expect(first.get(seeded.free.id)).toMatchObject({
    source: null,
    target: null,
    geometry: { points: 1, sourcePoint: { x: 0, y: 600 }, targetPoint: { x: 300, y: 600 } },
  })

  // The second page decodes from its own document: its shape, nothing of the first page.
  const secondCells = diagrams[1]!.cells
  expect(secondCells).toHaveLength(3)
  expect(secondCells[2]).toMatchObject({
    id: seeded.onSecond.id,
    vertex: true,
    value: 'Elsewhere',
    geometry: { x: 10, y: 20, width: 80, height: 40 },
  })

  expect(outside).toEqual([])
})
