/**
 * The committed draw.io fixtures (tests/fixtures/drawio/) through the shared import, one row per
 * file: what each good file becomes (pages, shape kinds and counts, labels, arrow bindings,
 * unknown stencils, and the details of its mapping rows), that each survives import → export →
 * import unchanged, and that each hostile file is refused with its exact sentence — by
 * `mxfileToRecords` and by `POST /api/links/<id>/import` of a real server, which answers 400 and
 * leaves the room as it was. The generated fixtures (PNG, compressed) are checked against the
 * scripts that made them, decoded with node:zlib rather than the code under test.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { inflateRawSync, inflateSync } from 'node:zlib'
import type { RunningServer } from '@drawbridge/server'
import {
  boundsOf,
  buildGeoShape,
  buildPage,
  FIRST_PAGE_ID,
  fillImageSource,
  getIndices,
  LABEL_LINE_HEIGHT_META_KEY,
  LABEL_PADDING_META_KEY,
  type MxfileImport,
  mxfileToRecords,
  openRecords,
  readRecords,
  recordsToMxfile,
  type TLRecord,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compressedFixtures } from '../fixtures/drawio/make-compressed-fixtures'
import { crc32, pngFixtures } from '../fixtures/drawio/make-png-fixtures'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

const FIXTURES = new URL('../fixtures/drawio/', import.meta.url)
const read = (file: string) => new Uint8Array(readFileSync(new URL(file, FIXTURES)))

type Imported = Extract<MxfileImport, { ok: true }>
/** The fields of shape records these tests read (tldraw's union is too wide to narrow each time). */
interface Shape {
  id: string
  typeName: 'shape'
  type: string
  x: number
  y: number
  rotation: number
  opacity: number
  parentId: string
  index: string
  meta: Record<string, unknown>
  props: Record<string, unknown> & {
    richText?: RichNode
    name?: string
    geo?: string
    w?: number
    h?: number
  }
}
interface Binding {
  typeName: 'binding'
  fromId: string
  toId: string
  props: { terminal: 'start' | 'end'; normalizedAnchor: { x: number; y: number }; isPrecise: boolean }
}
interface RichNode {
  type?: string
  text?: string
  content?: RichNode[]
  marks?: Array<{ type: string; attrs?: { href?: string } }>
}

const shapesOf = (records: readonly TLRecord[]) =>
  records.filter((r) => r.typeName === 'shape') as unknown as Shape[]
const bindingsOf = (records: readonly TLRecord[]) =>
  records.filter((r) => r.typeName === 'binding') as unknown as Binding[]

function plain(node: RichNode | undefined): string {
  if (!node) return ''
  if (node.type === 'text') return node.text ?? ''
  const parts = (node.content ?? []).map(plain)
  return node.type === 'doc' ? parts.join('\n') : parts.join('')
}

/** A shape's label: its rich text, a frame's name, else empty. */
const labelOf = (shape: Shape | undefined) =>
  shape ? (shape.props.richText ? plain(shape.props.richText) : (shape.props.name ?? '')) : '?'

const kindOf = (shape: Shape) => (shape.type === 'geo' ? `geo:${shape.props.geo}` : shape.type)

/** Every page's content in comparable form: kinds, labels and bindings, with the page names. */
function summarise(result: Imported) {
  const shapes = shapesOf(result.records)
  const byId = new Map(shapes.map((s) => [s.id, s]))
  const kinds: Record<string, number> = {}
  for (const shape of shapes) kinds[kindOf(shape)] = (kinds[kindOf(shape)] ?? 0) + 1
  return {
    pages: result.pages.map((page) => page.name),
    counts: {
      shapes: result.shapes,
      edges: result.edges,
      unknownStencils: result.unknownStencils,
      skipped: result.skipped,
    },
    kinds,
    labels: shapes
      .map(labelOf)
      .filter((label) => label !== '')
      .sort(),
    bindings: bindingsOf(result.records)
      .map((b) => `${labelOf(byId.get(b.fromId))}|${b.props.terminal}->${labelOf(byId.get(b.toId))}`)
      .sort(),
  }
}

function importOk(input: string | Uint8Array, pageId = FIRST_PAGE_ID): Imported {
  const result = mxfileToRecords(input, { pageId })
  if (!result.ok) throw new Error(result.error)
  return result
}

/** The one shape with this label (fails loudly when there is none or several). */
function shape(result: Imported, label: string): Shape {
  const found = shapesOf(result.records).filter((s) => labelOf(s) === label)
  expect(found, `shapes labelled ${JSON.stringify(label)}`).toHaveLength(1)
  return found[0]!
}

function bindingsFrom(result: Imported, arrow: Shape): Binding[] {
  return bindingsOf(result.records).filter((b) => b.fromId === arrow.id)
}

interface GoodFixture {
  file: string
  pages: string[]
  counts: { shapes: number; edges: number; unknownStencils: number; skipped: number }
  kinds: Record<string, number>
  /** Every non-empty label (rich text or frame name), in any order. */
  labels: string[]
  /** `arrow label|terminal->bound shape label`, in any order. */
  bindings: string[]
  /** Details of this file's mapping rows. */
  check?: (result: Imported) => void
}

const EDGES_LABELS = [
  'A',
  'B',
  'C',
  'A to B',
  'B to C',
  'anchored',
  'curved',
  'free ends',
  'into B',
  'unknown head',
  'no terminals',
]
const EDGES_BINDINGS = [
  'A to B|start->A',
  'A to B|end->B',
  'B to C|start->B',
  'B to C|end->C',
  'anchored|start->A',
  'anchored|end->C',
  'curved|start->C',
  'into B|end->B',
  'unknown head|start->A',
  'unknown head|end->A',
]
const CONTAINERS_LABELS = [
  'Order pool',
  'Sales',
  'Operations',
  'Receive order',
  'Check stock',
  '!',
  'Customer',
  'order',
  'ask',
  'escalate',
  'flag',
]
const CONTAINERS_BINDINGS = [
  'order|start->Customer',
  'order|end->Receive order',
  'ask|start->Receive order',
  'ask|end->Check stock',
  'escalate|start->Customer',
  'escalate|end->Order pool',
  'flag|start->Customer',
  'flag|end->!',
]
const STRUCTURE_LABELS = [
  'Fixed-width text',
  'Autosized text',
  'Our auto text',
  'Sticky note',
  'Big blue note',
  'Container',
  'In container 1',
  'In container 2',
  'Lane',
  'In lane',
  'Our frame',
  'Grouped A',
  'Grouped B',
  'Alone in group',
]

function checkEdges(result: Imported): void {
  const arrow = (label: string) => shape(result, label)
  expect(arrow('A to B').props).toMatchObject({ kind: 'arc', arrowheadStart: 'none', arrowheadEnd: 'arrow' })
  // The label of B→C lives in an `edgeLabel` child cell; orthogonal style → elbow arrow.
  expect(arrow('B to C').props).toMatchObject({
    kind: 'elbow',
    arrowheadStart: 'dot',
    arrowheadEnd: 'triangle',
  })
  const anchored = arrow('anchored')
  expect(anchored.props).toMatchObject({ arrowheadStart: 'diamond', arrowheadEnd: 'square' })
  const ends = Object.fromEntries(bindingsFrom(result, anchored).map((b) => [b.props.terminal, b.props]))
  expect(ends.start).toMatchObject({ isPrecise: true, normalizedAnchor: { x: 0.5, y: 1 } })
  expect(ends.end).toMatchObject({ isPrecise: true, normalizedAnchor: { x: 0, y: 0.5 } })
  // A waypoint off the straight line becomes a bend; the free end keeps its point.
  const curved = arrow('curved')
  expect(curved.props).toMatchObject({ arrowheadStart: 'pipe', arrowheadEnd: 'inverted' })
  expect(Math.abs(curved.props.bend as number)).toBeGreaterThan(10)
  const curvedEnd = curved.props.end as { x: number; y: number }
  expect([curved.x + curvedEnd.x, curved.y + curvedEnd.y]).toEqual([800, 500])
  const free = arrow('free ends')
  expect(bindingsFrom(result, free)).toHaveLength(0)
  expect(free).toMatchObject({ x: 40, y: 500, props: { end: { x: 260, y: 0 }, arrowheadEnd: 'bar' } })
  // Label at geometry x = 0.5 → labelPosition (0.5 + 1) / 2.
  expect(free.props.labelPosition).toBe(0.75)
  const intoB = arrow('into B')
  expect(intoB).toMatchObject({ x: 460, y: -100, props: { arrowheadStart: 'dot', arrowheadEnd: 'arrow' } })
  expect(arrow('unknown head').props.arrowheadEnd).toBe('arrow')
  // An edge with neither terminals nor points is a zero-length arrow at the origin, not a crash.
  expect(arrow('no terminals')).toMatchObject({ x: 0, y: 0, props: { end: { x: 0, y: 0 } } })
  // Arrows sort above everything they bind to.
  const byId = new Map(shapesOf(result.records).map((s) => [s.id, s]))
  for (const b of bindingsOf(result.records))
    expect(byId.get(b.fromId)!.index > byId.get(b.toId)!.index).toBe(true)
}

function checkStructure(result: Imported): void {
  expect(shape(result, 'Fixed-width text')).toMatchObject({
    type: 'text',
    x: 40,
    y: 40,
    props: { autoSize: false, w: 220, textAlign: 'start', size: 'm' },
  })
  expect(shape(result, 'Autosized text').props).toMatchObject({
    autoSize: true,
    textAlign: 'middle',
    size: 'l',
  })
  expect(shape(result, 'Our auto text').props).toMatchObject({ autoSize: true, textAlign: 'end', size: 's' })
  expect(shape(result, 'Sticky note')).toMatchObject({ type: 'note', props: { color: 'yellow', scale: 1 } })
  expect(shape(result, 'Big blue note')).toMatchObject({
    type: 'note',
    props: { color: 'blue', scale: 1.5, growY: 40 },
  })
  const container = shape(result, 'Container')
  expect(container).toMatchObject({ type: 'frame', x: 640, y: 140, props: { w: 320, h: 220 } })
  expect(shape(result, 'In container 1')).toMatchObject({ parentId: container.id, x: 20, y: 40 })
  expect(shape(result, 'In container 2')).toMatchObject({ parentId: container.id, x: 180, y: 120 })
  const lane = shape(result, 'Lane')
  expect(lane.type).toBe('frame')
  expect(shape(result, 'In lane')).toMatchObject({
    parentId: lane.id,
    x: 70,
    y: 50,
    props: { geo: 'diamond' },
  })
  expect(shape(result, 'Our frame')).toMatchObject({ type: 'frame', props: { color: 'blue' } })
  const group = shapesOf(result.records).find((s) => s.type === 'group')!
  expect(group).toMatchObject({ x: 640, y: 440, parentId: FIRST_PAGE_ID })
  expect(shape(result, 'Grouped B')).toMatchObject({ parentId: group.id, x: 180, y: 0 })
  // A group with one child is flattened: the child lands on the page where it was.
  expect(shape(result, 'Alone in group')).toMatchObject({ parentId: FIRST_PAGE_ID, x: 640, y: 600 })
}

function checkContainers(result: Imported): void {
  const pool = shape(result, 'Order pool')
  const sales = shape(result, 'Sales')
  const ops = shape(result, 'Operations')
  expect(pool).toMatchObject({ type: 'frame', x: 100, y: 100, parentId: FIRST_PAGE_ID })
  expect(sales).toMatchObject({ type: 'frame', parentId: pool.id, x: 20, y: 0 })
  expect(ops).toMatchObject({ type: 'frame', parentId: pool.id, x: 20, y: 180 })
  expect(shape(result, 'Receive order')).toMatchObject({ parentId: sales.id, x: 60, y: 50 })
  expect(shape(result, 'Check stock')).toMatchObject({ parentId: ops.id, x: 260, y: 40 })
  // Relative geometry (x = 1 of its parent's width) under a non-container: lands in the lane.
  expect(shape(result, '!')).toMatchObject({ parentId: ops.id, x: 380, y: 40, props: { w: 20, h: 20 } })
  // The edge drawn inside the pool has its waypoint resolved to page space (100 + 140, 100 + 270).
  const ask = shape(result, 'ask')
  expect(ask.parentId).toBe(FIRST_PAGE_ID)
  expect(ask.props.kind).toBe('elbow')
}

function checkStyles(result: Imported): void {
  const props = (label: string) => shape(result, label).props
  // draw.io's swatches land on the tldraw colour of the same hue (its muted blue and green are
  // nearest to tldraw's light ones).
  expect(props('blue swatch')).toMatchObject({ color: 'light-blue', fill: 'solid' })
  expect(props('green swatch')).toMatchObject({ color: 'light-green', fill: 'solid' })
  expect(props('red swatch')).toMatchObject({ color: 'red', fill: 'solid' })
  expect(props('violet swatch')).toMatchObject({ color: 'violet', fill: 'solid' })
  expect(props('draw.io default')).toMatchObject({
    color: 'black',
    fill: 'semi',
    dash: 'solid',
    size: 's',
    font: 'sans',
  })
  expect(props('fill only')).toMatchObject({ color: 'orange', fill: 'fill', dash: 'solid' })
  expect(props('no fill').fill).toBe('none')
  expect(props('hatch')).toMatchObject({ color: 'blue', fill: 'lined-fill' })
  expect(props('cross-hatch')).toMatchObject({ color: 'blue', fill: 'pattern' })
  expect(props('full fill')).toMatchObject({ color: 'blue', fill: 'fill' })
  expect(props('dashed').dash).toBe('dashed')
  expect(props('dotted').dash).toBe('dotted')
  expect(props('no stroke')).toMatchObject({ dash: 'none', color: 'white' })
  expect(props('thick').size).toBe('xl')
  // strokeWidth 5 with draw.io's 12 px text: the label keeps its 12 px (xl at scale 12/32), and xl
  // draws the stroke nearest to 5 that a 12 px label allows (10 × 12/32 = 3.75 px).
  expect(props('medium')).toMatchObject({ size: 'xl', scale: 12 / 32 })
  expect(props('mono')).toMatchObject({ font: 'mono', labelColor: 'red' })
  expect(props('serif').font).toBe('serif')
  expect(props('hand').font).toBe('draw')
  // 90° about the centre of a 120×60 box at (40, 560): tldraw's origin is the rotated top-left.
  const rotated = shape(result, 'rotated')
  expect(rotated.rotation).toBeCloseTo(Math.PI / 2)
  expect(rotated.x).toBeCloseTo(130)
  expect(rotated.y).toBeCloseTo(530)
  expect(shape(result, 'faded').opacity).toBeCloseTo(0.4)
  expect(props('top left')).toMatchObject({ align: 'start', verticalAlign: 'start' })
  expect(props('flipped')).toMatchObject({ geo: 'trapezoid', flipX: true, flipY: true })
}

function checkImages(result: Imported): void {
  const assets = result.records.filter((r) => r.typeName === 'asset') as unknown as Array<{
    props: { src: string; mimeType: string | null }
  }>
  const sources = assets.map((a) => String(a.props.src)).sort()
  expect(sources).toHaveLength(3)
  // Embedded images (draw.io's `data:image/png,<base64>` style form) come back as bytes for the
  // caller's asset store: their asset records have no source yet, and no base64 is in a record.
  expect(sources).toEqual(['https://images.example.com/logo.png', 'null', 'null'])
  expect(JSON.stringify(result.records)).not.toContain('iVBORw0KGgo')
  const extracted = (result as { images: Array<{ assetId: string; mimeType: string; bytes: Uint8Array }> })
    .images
  expect(extracted.map((i) => i.mimeType).sort()).toEqual(['image/png', 'image/svg+xml'])
  const png = extracted.find((i) => i.mimeType === 'image/png')!
  expect([...png.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
  const svg = extracted.find((i) => i.mimeType === 'image/svg+xml')!
  expect(Buffer.from(svg.bytes).toString('utf8')).toMatch(/^<svg/)
  expect(assets.map((a) => String(a.props.mimeType)).sort()).toEqual(['image/png', 'image/svg+xml', 'null'])
  const images = shapesOf(result.records).filter((s) => s.type === 'image')
  expect(images.map((s) => s.props.assetId).sort()).toEqual(
    (result.records.filter((r) => r.typeName === 'asset') as Array<{ id: string }>).map((a) => a.id).sort(),
  )
  expect(images.find((s) => s.props.flipX === true)).toBeDefined()
  // Unsafe sources become rectangles of the same bounds, their label below them as draw.io's
  // image style draws it (a text shape), and no link scheme but http(s) is kept.
  const unsafe = shape(result, 'unsafe image')
  expect(unsafe.type).toBe('text')
  const standIn = shapesOf(result.records).find(
    (s) => s.type === 'geo' && s.props.w === 100 && s.props.h === 100 && unsafe.y >= s.y + 100,
  )
  expect(standIn).toMatchObject({ props: { geo: 'rectangle', w: 100, h: 100 } })
  expect(shape(result, 'local image').type).toBe('text')
  const json = JSON.stringify(result.records)
  for (const bad of ['javascript', 'file:', 'passwd', 'cookie']) expect(json).not.toContain(bad)
}

function checkHtml(result: Imported): void {
  const plainLabel = 'not html: <b>kept</b> & shown'
  // Every record but the one whose label is plain text (html=0), where `<b>` is just text.
  const json = JSON.stringify(result.records.filter((r) => labelOf(r as unknown as Shape) !== plainLabel))
  for (const bad of [
    'alert',
    'script',
    'onerror',
    'onload',
    'onmouseover',
    'onclick',
    'javascript',
    'JaVaScRiPt',
    'vbscript',
    'data:text',
    'iframe',
    'evil.example',
    'cookie',
    'display:none',
    'svg text',
    'x.swf',
    'style',
    '<',
  ]) {
    expect(json, bad).not.toContain(bad)
  }
  const rich = shape(result, 'Bold italic under gone x()\nsecond line\nsafe link mail')
  const runs = (rich.props.richText?.content ?? []).flatMap((p) => p.content ?? [])
  const marked = (type: string) =>
    runs.filter((r) => r.marks?.some((m) => m.type === type)).map((r) => r.text)
  expect(marked('bold')).toEqual(['Bold'])
  expect(marked('italic')).toEqual(['italic'])
  expect(marked('underline')).toEqual(['under'])
  expect(marked('strike')).toEqual(['gone'])
  expect(marked('code')).toEqual(['x()'])
  const hrefs = runs.flatMap((r) => r.marks?.filter((m) => m.type === 'link').map((m) => m.attrs?.href) ?? [])
  expect(hrefs).toEqual(['https://example.com/a?b=1&c=2', 'mailto:team@example.com'])
  // Links with other schemes keep their text and lose the link.
  const urls = shape(result, 'js link mixed case entity data url vb')
  expect(JSON.stringify(urls.props.richText)).not.toContain('"link"')
  // Without html=1 the value is plain text: markup characters are shown, not interpreted.
  expect(shape(result, plainLabel).props.richText?.content).toHaveLength(1)
}

/** draw.io's 12 px labels on tldraw's `s` size (18 px at scale 1). */
const SCALE_12PX = 12 / 18

function checkFidelity(result: Imported): void {
  // 12 px labels in 110×50 boxes: the box keeps the file's size, the label its 12 px, Helvetica → sans.
  for (const name of ['Authentication service', 'Payments API', 'Activities', 'Reporting warehouse']) {
    expect(shape(result, name)).toMatchObject({
      type: 'geo',
      props: { w: 110, h: 50, size: 's', scale: SCALE_12PX, font: 'sans' },
    })
  }
  // Edge labels are the arrows' own labels, at their place along the edge (draw.io's 11 px).
  expect(shape(result, 'token')).toMatchObject({
    type: 'arrow',
    props: { labelPosition: 0.5, scale: 11 / 18 },
  })
  expect(shape(result, 'charges').type).toBe('arrow')
  expect(shape(result, 'charges').props.labelPosition).toBeCloseTo(0.45)
  // Three labels on one edge: the first on the arrow, the two others as texts that overlap nothing.
  expect(shape(result, '1').type).toBe('arrow')
  expect(shape(result, '1').props.labelPosition).toBeCloseTo(0.1)
  const sends = shape(result, 'sends mail')
  const many = shape(result, 'many')
  expect([sends.type, many.type]).toEqual(['text', 'text'])
  const width = (s: Shape) => Number(s.props.w) * Number(s.props.scale)
  expect(sends.x + width(sends) <= many.x || many.x + width(many) <= sends.x).toBe(true)
  // A swimlane is a frame named by its label with its cells inside; a collapsed one comes expanded.
  const lane = shape(result, 'Order lane')
  expect(lane).toMatchObject({ type: 'frame', props: { w: 420, h: 150 } })
  expect(shape(result, 'Place order').parentId).toBe(lane.id)
  expect(shape(result, 'Collapsed group')).toMatchObject({ type: 'frame', props: { w: 200, h: 150 } })
  expect(shape(result, 'Hidden inside').parentId).toBe(shape(result, 'Collapsed group').id)
  // The embedded image (a style of 14,000+ characters) is one extracted PNG, not base64 in a record.
  expect(result.images).toHaveLength(1)
  // The inline stencil (a style of 10,000+ characters) is left out and said; the cell imports.
  expect(result.skippedItems).toEqual([
    { id: 'crab', page: 'Fidelity', reason: expect.stringMatching(/over the 10,000 limit.*left out shape/) },
  ])
  expect(shape(result, 'Crab')).toMatchObject({ type: 'geo', props: { w: 80, h: 40, color: 'red' } })
  // Small boxes keep draw.io's 2 px label inset, not tldraw's 16 px × scale, at the file's font size.
  for (const [name, w, h, fontSize] of [
    ['Invoices', 60, 30, 12],
    ['Decision', 60, 60, 12],
    ['3', 25, 25, 18],
    ['11', 30, 20, 14],
  ] as const) {
    expect(shape(result, name)).toMatchObject({
      type: 'geo',
      meta: { [LABEL_PADDING_META_KEY]: 2, [LABEL_LINE_HEIGHT_META_KEY]: 1.2 },
      props: { w, h, size: 's', scale: fontSize / 18 },
    })
  }
  // The inset shrinks where the box needs it: to keep a line inside a 26 px row whose spacingLeft
  // is 34, and to give 'Scheduler' room in 70 px despite spacing=8.
  expect(shape(result, 'UserID').meta[LABEL_PADDING_META_KEY]).toBeCloseTo((26 - 1.2 * 12) / 2, 5)
  const scheduler = shape(result, 'Queuing / Scheduler')
  expect(scheduler.meta[LABEL_PADDING_META_KEY]).toBeLessThan(8)
  expect(scheduler.props.scale).toBe(SCALE_12PX)
  // A header label draw.io turns a quarter turn (horizontal=0) is a text shape turned with it.
  expect(shape(result, 'Lane 1').type).toBe('text')
  expect(shape(result, 'Lane 1').rotation).toBeCloseTo((3 * Math.PI) / 2)
  // %placeholders% read as draw.io shows them.
  expect(shape(result, 'Billing\n[Container]').type).toBe('geo')
  // A wrapped text cell narrower than its word grows to the word about its centre.
  const legend = shape(result, 'Legend')
  expect(legend.type).toBe('text')
  expect(width(legend)).toBeGreaterThan(40)
  expect(legend.x + width(legend) / 2).toBeCloseTo(shape(result, 'Crab').x - 50, 5)
  expect(JSON.stringify(result.records)).not.toContain('iVBORw0KGgo')
  // fontStyle=3 (bold + italic) marks the whole label.
  const activities = shape(result, 'Activities').props.richText as {
    content: Array<{ content: Array<{ marks?: Array<{ type: string }> }> }>
  }
  expect(activities.content[0]!.content[0]!.marks?.map((m) => m.type).sort()).toEqual(['bold', 'italic'])
  // Unwrapped HTML text keeps its marks and line break and sizes itself (no whiteSpace=wrap).
  expect(shape(result, 'Bold and italic\nsecond line')).toMatchObject({
    type: 'text',
    props: { autoSize: true, scale: SCALE_12PX },
  })
  // Cells left of and above 0,0: the diagram's top-left corner lands on the origin asked for.
  const placed = mxfileToRecords(read('fidelity.drawio'), {
    pageId: FIRST_PAGE_ID,
    origin: { x: 500, y: 40 },
  })
  if (!placed.ok) throw new Error(placed.error)
  expect(boundsOf(placed.records)).toMatchObject({ x: 500, y: 40 })
}

const GOOD: GoodFixture[] = [
  {
    file: 'fidelity.drawio',
    pages: ['Fidelity'],
    counts: { shapes: 26, edges: 4, unknownStencils: 0, skipped: 0 },
    kinds: {
      'geo:rectangle': 16,
      'geo:diamond': 1,
      'geo:ellipse': 1,
      frame: 2,
      image: 1,
      text: 5,
      arrow: 4,
    },
    labels: [
      '1',
      '11',
      '3',
      'Activities',
      'Authentication service',
      'Billing\n[Container]',
      'Bold and italic\nsecond line',
      'Collapsed group',
      'Crab',
      'Customer accounts',
      'Decision',
      'Hidden inside',
      'Invoices',
      'Lane 1',
      'Legend',
      'Notification gateway',
      'Order lane',
      'Payments API',
      'Place order',
      'Queuing / Scheduler',
      'Reporting warehouse',
      'Ship parcel',
      'charges',
      'many',
      'sends mail',
      'ships',
      'token',
      'UserID',
    ],
    bindings: [
      '1|end->Notification gateway',
      '1|start->Authentication service',
      'charges|end->Activities',
      'charges|start->Payments API',
      'ships|end->Ship parcel',
      'ships|start->Place order',
      'token|end->Payments API',
      'token|start->Authentication service',
    ],
    check: checkFidelity,
  },
  {
    file: 'geo-shapes.drawio',
    pages: ['Geo kinds'],
    // Six cells have their label below the shape (verticalLabelPosition=bottom): six texts.
    counts: { shapes: 38, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: {
      'geo:rectangle': 6,
      'geo:ellipse': 3,
      'geo:diamond': 2,
      'geo:triangle': 1,
      'geo:hexagon': 1,
      'geo:cloud': 1,
      'geo:star': 1,
      'geo:pentagon': 1,
      'geo:octagon': 1,
      'geo:oval': 2,
      'geo:trapezoid': 1,
      'geo:rhombus': 1,
      'geo:rhombus-2': 1,
      'geo:heart': 1,
      'geo:arrow-right': 2,
      'geo:arrow-left': 1,
      'geo:arrow-up': 1,
      'geo:arrow-down': 1,
      'geo:x-box': 2,
      'geo:check-box': 2,
      text: 6,
    },
    labels: [
      'rectangle',
      'rectangle (no style)',
      'rectangle (rounded corners)',
      'rectangle (label)',
      'rectangle (process)',
      'rectangle (flowchart process)',
      'ellipse',
      'ellipse (double)',
      'ellipse (flowchart start)',
      'diamond',
      'diamond (flowchart decision)',
      'triangle',
      'hexagon',
      'cloud',
      'star',
      'pentagon',
      'octagon',
      'oval',
      'oval (flowchart terminator)',
      'trapezoid',
      'rhombus',
      'rhombus-2',
      'heart',
      'arrow-right',
      'arrow-right (east)',
      'arrow-left',
      'arrow-up',
      'arrow-down',
      'x-box',
      'x-box (basic x)',
      'check-box',
      'check-box (basic tick)',
    ],
    bindings: [],
    check: (result) => {
      // Each label names the geo kind its style must map to; a label draw.io draws below its
      // shape is a text centred under it.
      const geos = shapesOf(result.records).filter((s) => s.type === 'geo')
      for (const s of shapesOf(result.records)) {
        if (!labelOf(s)) continue // a shape whose label is a text below it: checked through the text
        const centre = (g: Shape, w: number) => g.x + w / 2
        const below = (g: Shape) => s.y - (g.y + Number(g.props.h))
        const owner =
          s.type === 'text'
            ? geos
                .filter(
                  (g) =>
                    Math.abs(
                      centre(g, Number(g.props.w)) - centre(s, Number(s.props.w) * Number(s.props.scale)),
                    ) < 1 && below(g) >= 0,
                )
                .sort((x, y) => below(x) - below(y))[0]
            : s
        expect(owner?.props.geo, labelOf(s)).toBe(labelOf(s).split(' (')[0])
      }
      // rhombus-2 is a parallelogram flipped back by its hint, not a flipped shape in tldraw.
      expect(shape(result, 'rhombus-2').props.flipX).toBe(false)
      const octagon = shapesOf(result.records).find((g) => g.type === 'geo' && g.props.geo === 'octagon')
      expect(octagon).toMatchObject({ x: 760, y: 280, props: { w: 140, h: 80 } })
      expect(shape(result, 'octagon')).toMatchObject({ type: 'text', y: 280 + 80 + 2 })
    },
  },
  {
    file: 'text-notes-frames-groups.drawio',
    pages: ['Structure'],
    counts: { shapes: 15, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: { text: 3, note: 2, frame: 3, 'geo:rectangle': 4, 'geo:ellipse': 1, 'geo:diamond': 1, group: 1 },
    labels: STRUCTURE_LABELS,
    bindings: [],
    check: checkStructure,
  },
  {
    file: 'edges.drawio',
    pages: ['Edges'],
    counts: { shapes: 3, edges: 8, unknownStencils: 0, skipped: 1 },
    kinds: { 'geo:rectangle': 1, 'geo:ellipse': 1, 'geo:diamond': 1, arrow: 8 },
    labels: EDGES_LABELS,
    bindings: EDGES_BINDINGS,
    check: checkEdges,
  },
  {
    file: 'freehand-lines.drawio',
    pages: ['Sketch'],
    counts: { shapes: 5, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: { draw: 2, highlight: 1, line: 2 },
    labels: [],
    bindings: [],
    check: (result) => {
      const draws = shapesOf(result.records).filter((s) => s.type === 'draw')
      expect(draws.map((d) => [d.x, d.y, d.props.isClosed, d.props.fill, d.props.color])).toEqual([
        [100, 100, false, 'none', 'red'],
        [300, 100, true, 'solid', 'blue'],
      ])
      expect(shapesOf(result.records).find((s) => s.type === 'highlight')).toMatchObject({
        x: 100,
        y: 260,
        props: { color: 'yellow', size: 'xl' },
      })
      const lines = shapesOf(result.records).filter((s) => s.type === 'line')
      expect(
        lines.map((l) => [l.props.spline, l.props.dash, Object.keys(l.props.points as object).length]),
      ).toEqual([
        ['cubic', 'dashed', 3],
        ['line', 'solid', 4],
      ])
    },
  },
  {
    file: 'styles.drawio',
    pages: ['Styles'],
    counts: { shapes: 22, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:rectangle': 21, 'geo:trapezoid': 1 },
    labels: [
      'blue swatch',
      'green swatch',
      'red swatch',
      'violet swatch',
      'draw.io default',
      'fill only',
      'no fill',
      'hatch',
      'cross-hatch',
      'full fill',
      'dashed',
      'dotted',
      'no stroke',
      'thick',
      'medium',
      'mono',
      'serif',
      'hand',
      'rotated',
      'faded',
      'top left',
      'flipped',
    ],
    bindings: [],
    check: checkStyles,
  },
  {
    file: 'images-links.drawio',
    pages: ['Images and links'],
    counts: { shapes: 9, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: { image: 3, 'geo:rectangle': 4, text: 2 },
    labels: [
      'unsafe image',
      'local image',
      'https://example.com/handbook',
      'https://www.youtube.com/embed/x',
    ],
    bindings: [],
    check: checkImages,
  },
  {
    file: 'wrapped-cells.drawio',
    pages: ['Wrapped cells'],
    counts: { shapes: 3, edges: 2, unknownStencils: 1, skipped: 0 },
    kinds: { 'geo:rectangle': 2, 'geo:ellipse': 1, arrow: 2 },
    // Placeholders (%name%, placeholders="1") are filled from the object's attributes, as draw.io shows them.
    labels: ['Service billing', 'Database', 'Queue', 'writes', 'publishes'],
    bindings: [
      'writes|start->Service billing',
      'writes|end->Database',
      'publishes|start->Service billing',
      'publishes|end->Queue',
    ],
    check: (result) => {
      expect(shape(result, 'Service billing')).toMatchObject({ x: 40, y: 40, props: { color: 'light-blue' } })
      const db = shape(result, 'Database')
      expect(db.props.richText?.content?.[0]?.content?.[0]?.marks).toEqual([{ type: 'bold' }])
      expect(shape(result, 'writes').props.kind).toBe('elbow')
      // draw.io ids (wrapper ids included) never become tldraw ids.
      const drawioIds = new Set(['svc-billing', 'db', 'queue', 'edge-writes', 'publishes'])
      expect(result.records.filter((r) => drawioIds.has(r.id.slice(r.id.indexOf(':') + 1)))).toEqual([])
    },
  },
  {
    file: 'layers.drawio',
    pages: ['Layers'],
    counts: { shapes: 4, edges: 1, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:rectangle': 2, 'geo:ellipse': 1, 'geo:diamond': 1, arrow: 1 },
    labels: ['On background', 'On annotations', 'On hidden layer', 'On the root', 'across layers'],
    bindings: ['across layers|start->On background', 'across layers|end->On annotations'],
    check: (result) => {
      // Layers (whatever their ids, hidden or locked) are flattened onto the page.
      for (const label of ['On background', 'On annotations', 'On hidden layer', 'On the root'])
        expect(shape(result, label).parentId).toBe(FIRST_PAGE_ID)
      expect(shape(result, 'On annotations')).toMatchObject({ x: 260, y: 40 })
      expect(shape(result, 'On the root')).toMatchObject({ x: 40, y: 200 })
    },
  },
  {
    file: 'containers.drawio',
    pages: ['Containers'],
    counts: { shapes: 7, edges: 4, unknownStencils: 0, skipped: 0 },
    kinds: { frame: 3, 'geo:rectangle': 1, 'geo:diamond': 1, 'geo:ellipse': 2, arrow: 4 },
    labels: CONTAINERS_LABELS,
    bindings: CONTAINERS_BINDINGS,
    check: checkContainers,
  },
  {
    file: 'html-labels.drawio',
    pages: ['HTML labels'],
    counts: { shapes: 7, edges: 1, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:rectangle': 6, 'geo:ellipse': 1, arrow: 1 },
    labels: [
      'Bold italic under gone x()\nsecond line\nsafe link mail',
      'beforeafter',
      'hover me',
      'js link mixed case entity data url vb',
      'topbottom',
      'not html: <b>kept</b> & shown',
      'unbalanced',
      'edge label',
    ],
    bindings: [
      'edge label|start->Bold italic under gone x()\nsecond line\nsafe link mail',
      'edge label|end->beforeafter',
    ],
    check: checkHtml,
  },
  {
    file: 'pages.drawio',
    pages: ['Overview', 'Détail — données', 'Empty page'],
    counts: { shapes: 4, edges: 1, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:rectangle': 3, arrow: 1, frame: 1 },
    labels: ['Client', 'Server', 'HTTPS', 'Tabelle', 'Zeile'],
    bindings: ['HTTPS|start->Client', 'HTTPS|end->Server'],
    check: (result) => {
      expect(result.pages.map((p) => p.created)).toEqual([false, true, true])
      const pageRecords = result.records.filter((r) => r.typeName === 'page') as Array<{
        id: string
        name: string
      }>
      expect(pageRecords.map((p) => p.name)).toEqual(['Détail — données', 'Empty page'])
      const [first, second, third] = result.pages.map((p) => p.pageId)
      expect(first).toBe(FIRST_PAGE_ID)
      expect(shape(result, 'HTTPS').props).toMatchObject({ arrowheadStart: 'arrow', arrowheadEnd: 'arrow' })
      const table = shape(result, 'Tabelle')
      expect(table).toMatchObject({ type: 'frame', parentId: second })
      expect(shape(result, 'Zeile')).toMatchObject({ parentId: table.id, x: 0, y: 30 })
      expect(shapesOf(result.records).some((s) => s.parentId === third)).toBe(false)
    },
  },
  {
    file: 'compressed.drawio',
    pages: ['Edges (compressed)', 'Containers (compressed)', 'Bare model (plain)'],
    counts: { shapes: 12, edges: 13, unknownStencils: 0, skipped: 1 },
    kinds: { 'geo:rectangle': 2, 'geo:ellipse': 4, 'geo:diamond': 3, arrow: 13, frame: 3 },
    labels: [...EDGES_LABELS, ...CONTAINERS_LABELS, 'Start', 'Done?'],
    bindings: [...EDGES_BINDINGS, ...CONTAINERS_BINDINGS, '|start->Start', '|end->Done?'],
    check: (result) => {
      checkEdges(result)
      expect(result.pages.map((p) => p.created)).toEqual([false, true, true])
    },
  },
  {
    file: 'bare-model.xml',
    pages: ['Page-1'],
    counts: { shapes: 2, edges: 1, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:ellipse': 1, 'geo:diamond': 1, arrow: 1 },
    labels: ['Start', 'Done?'],
    bindings: ['|start->Start', '|end->Done?'],
    check: (result) => {
      expect(shape(result, 'Start').props.color).toBe('light-green')
      expect(shape(result, 'Done?')).toMatchObject({ x: 100, y: 160, props: { color: 'yellow' } })
    },
  },
  {
    file: 'diagram.drawio.svg',
    pages: ['Embedded in SVG'],
    counts: { shapes: 2, edges: 1, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:rectangle': 1, 'geo:ellipse': 1, arrow: 1 },
    // The label is HTML-escaped inside the XML-escaped content attribute: decoded exactly twice.
    labels: ['Request & reply', 'Handler', 'calls'],
    bindings: ['calls|start->Request & reply', 'calls|end->Handler'],
  },
  {
    file: 'edges-text.drawio.png',
    pages: ['Edges'],
    counts: { shapes: 3, edges: 8, unknownStencils: 0, skipped: 1 },
    kinds: { 'geo:rectangle': 1, 'geo:ellipse': 1, 'geo:diamond': 1, arrow: 8 },
    labels: EDGES_LABELS,
    bindings: EDGES_BINDINGS,
    check: checkEdges,
  },
  {
    file: 'structure-ztxt.drawio.png',
    pages: ['Structure'],
    counts: { shapes: 15, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: { text: 3, note: 2, frame: 3, 'geo:rectangle': 4, 'geo:ellipse': 1, 'geo:diamond': 1, group: 1 },
    labels: STRUCTURE_LABELS,
    bindings: [],
    check: checkStructure,
  },
  {
    file: 'unknown-stencils.drawio',
    pages: ['Stencils'],
    counts: { shapes: 9, edges: 1, unknownStencils: 5, skipped: 0 },
    kinds: { 'geo:rectangle': 6, text: 3, arrow: 1 },
    labels: ['Lambda', 'Approve', 'User', 'pod', 'Store', 'Known'],
    bindings: ['|start->', '|end->Approve'],
    check: (result) => {
      // Stencils become rectangles of their own bounds; a label draw.io draws below the icon
      // (verticalLabelPosition=bottom) is a text shape there, centred under it, not clipped inside.
      const lambda = shape(result, 'Lambda')
      expect(lambda.type).toBe('text')
      const icon = shapesOf(result.records).find(
        (s) => s.type === 'geo' && s.x === 40 && s.y === 40 && s.props.w === 78,
      )
      expect(icon).toMatchObject({ props: { geo: 'rectangle', w: 78, h: 78 } })
      expect(lambda.y).toBeGreaterThanOrEqual(40 + 78)
      const centre = lambda.x + (Number(lambda.props.w) * Number(lambda.props.scale)) / 2
      expect(centre).toBeCloseTo(40 + 78 / 2, 0)
      // Labels draw.io draws inside stay inside.
      expect(shape(result, 'Store').type).toBe('geo')
    },
  },
  {
    file: 'external-dtd.drawio',
    pages: ['External DTD'],
    counts: { shapes: 1, edges: 0, unknownStencils: 0, skipped: 0 },
    kinds: { 'geo:rectangle': 1 },
    // A DOCTYPE without an internal subset is allowed and never loaded (the parser fetches nothing).
    labels: ['DTD ignored'],
    bindings: [],
  },
]

const HOSTILE: Array<{ file: string; error: string }> = [
  { file: 'hostile-xxe.drawio', error: 'XML with a DOCTYPE subset or entity declarations is refused' },
  {
    file: 'hostile-xxe-parameter.drawio',
    error: 'XML with a DOCTYPE subset or entity declarations is refused',
  },
  {
    file: 'hostile-billion-laughs.drawio',
    error: 'XML with a DOCTYPE subset or entity declarations is refused',
  },
  {
    file: 'hostile-svg-entity.drawio.svg',
    error: 'XML with a DOCTYPE subset or entity declarations is refused',
  },
  { file: 'hostile-deflate-bomb.drawio', error: 'compressed data inflates past the size limit' },
  { file: 'hostile-png-bomb.drawio.png', error: 'compressed data inflates past the size limit' },
  { file: 'hostile-too-many-pages.drawio', error: 'the file has more than 100 pages' },
  { file: 'hostile-too-many-cells.drawio', error: 'the file has more than 20000 cells' },
  { file: 'hostile-deep-nesting.drawio', error: 'page "Deep nesting": cells nest deeper than 64 levels' },
  {
    file: 'hostile-parent-cycle.drawio',
    error: 'page "Parent cycle": cell "A" is its own ancestor (cycle in parent)',
  },
  {
    file: 'hostile-missing-terminal.drawio',
    error: 'page "Missing terminal": edge "e1" points to a missing cell "deleted-cell"',
  },
  {
    file: 'hostile-missing-parent.drawio',
    error: 'page "Missing parent": cell "orphan" has a missing parent "gone"',
  },
  {
    file: 'hostile-duplicate-id.drawio',
    error: 'page "Duplicate id": cell id "A" is used twice on one page',
  },
  {
    file: 'hostile-two-roots.drawio',
    error: 'page "Two roots": a page needs exactly one root cell (without parent), found 2',
  },
  {
    file: 'hostile-huge-coordinates.drawio',
    error: 'cell "A": geometry.x Too big: expected number to be <=10000000',
  },
  {
    file: 'hostile-malformed.drawio',
    error: 'the file is not well-formed XML: 9:17: unexpected close tag.',
  },
]

describe('draw.io fixtures through the shared import', () => {
  for (const fixture of GOOD) {
    it(`${fixture.file}: pages, kinds, labels, bindings and its mapping rows`, () => {
      const result = importOk(read(fixture.file))
      expect(summarise(result)).toEqual({
        pages: fixture.pages,
        counts: fixture.counts,
        kinds: fixture.kinds,
        labels: [...fixture.labels].sort(),
        bindings: [...fixture.bindings].sort(),
      })
      fixture.check?.(result)
    })
  }

  for (const { file, error } of HOSTILE) {
    it(`${file} is refused: ${error}`, () => {
      expect(mxfileToRecords(read(file), { pageId: FIRST_PAGE_ID })).toMatchObject({ ok: false, error })
    })
  }

  it('lists every fixture on disk, generated ones included', () => {
    // Everything but the generator scripts and the folder's Biome settings is a fixture.
    const onDisk = readdirSync(FIXTURES).filter((name) => !name.endsWith('.ts') && name !== 'biome.json')
    const generated = [...Object.keys(pngFixtures()), ...Object.keys(compressedFixtures())]
    expect(generated.every((name) => onDisk.includes(name))).toBe(true)
    expect([...GOOD.map((f) => f.file), ...HOSTILE.map((f) => f.file)].sort()).toEqual(onDisk.sort())
  })
})

const round = (value: unknown) => (typeof value === 'number' ? Math.round(value) : value)

/**
 * Every page's shapes as sorted descriptors (kind, label, tldraw parent, position and size to the
 * pixel, style props, arrowheads) and its bindings: what must survive a round trip.
 */
function comparable(result: Imported) {
  const shapes = shapesOf(result.records)
  const byId = new Map(shapes.map((s) => [s.id, s]))
  const pageOrder = new Map(result.pages.map((page, i) => [page.pageId as string, i]))
  const parentOf = (s: Shape) => {
    const parent = byId.get(s.parentId)
    return parent ? labelOf(parent) || parent.type : `page ${pageOrder.get(s.parentId)}`
  }
  const styleKeys = [
    'color',
    'fill',
    'dash',
    'size',
    'font',
    'align',
    'arrowheadStart',
    'arrowheadEnd',
    'kind',
  ]
  const describe = (s: Shape) =>
    [
      kindOf(s),
      labelOf(s),
      parentOf(s),
      ...[s.x, s.y, s.props.w, s.props.h, s.rotation * 1000, s.opacity * 100].map(round),
      ...styleKeys.map((key) => s.props[key]),
    ].join('|')
  return {
    pages: result.pages.map((page) => page.name),
    shapes: shapes.map(describe).sort(),
    bindings: bindingsOf(result.records)
      .map(
        (b) =>
          `${labelOf(byId.get(b.fromId))}|${b.props.terminal}->${labelOf(byId.get(b.toId))}|${b.props.isPrecise}|${b.props.normalizedAnchor.x},${b.props.normalizedAnchor.y}`,
      )
      .sort(),
    assets: result.records
      .filter((r) => r.typeName === 'asset')
      .map((a) => (a as unknown as { props: { src: string } }).props.src)
      .sort(),
  }
}

/** Embedded images stored the way a caller without an asset store would: as data URIs. */
function withImagesInline(result: ReturnType<typeof mxfileToRecords>): Imported {
  if (!result.ok) throw new Error(result.error)
  let records = result.records
  for (const image of result.images) {
    const src = `data:${image.mimeType};base64,${Buffer.from(image.bytes).toString('base64')}`
    records = fillImageSource(records, image.assetId, src)
  }
  return { ...result, records }
}

describe('round trip of every good fixture: import → export → import', () => {
  for (const fixture of GOOD) {
    it(fixture.file, () => {
      const page = buildPage({ id: FIRST_PAGE_ID, name: 'Board' })
      const options = { pageId: FIRST_PAGE_ID, pageIndexAbove: page.index }
      const first = withImagesInline(mxfileToRecords(read(fixture.file), options))
      const exported = recordsToMxfile([page, ...first.records])
      expect(exported.unmapped).toEqual([])
      const second = withImagesInline(mxfileToRecords(exported.xml, options))
      const before = comparable(first)
      const after = comparable(second)
      // The first page takes the board's page name on export; the others keep theirs.
      expect(after.pages).toEqual(['Board', ...before.pages.slice(1)])
      expect({ ...after, pages: [] }).toEqual({ ...before, pages: [] })
      expect([second.shapes, second.edges]).toEqual([first.shapes, first.edges])
    })
  }
})

/** The raw-inflated payload of each `<diagram>` (plain ones as they are), decoded with node:zlib. */
function diagramPayloads(text: string): Buffer[] {
  return [...text.matchAll(/<diagram[^>]*>([\s\S]*?)<\/diagram>/g)].map(([, body]) =>
    body!.startsWith('<') ? Buffer.from(body!) : inflateRawSync(Buffer.from(body!, 'base64')),
  )
}

/** PNG chunks with their CRCs checked. */
function pngChunks(bytes: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks: Array<{ type: string; data: Uint8Array }> = []
  for (let at = 8; at < bytes.length; ) {
    const length = view.getUint32(at)
    const typeAndData = bytes.subarray(at + 4, at + 8 + length)
    expect(view.getUint32(at + 8 + length), 'chunk CRC').toBe(crc32(typeAndData))
    chunks.push({
      type: Buffer.from(typeAndData.subarray(0, 4)).toString('latin1'),
      data: typeAndData.subarray(4),
    })
    at += 12 + length
  }
  return chunks
}

/** The text a draw.io PNG carries under keyword `mxfile`, inflated with node:zlib when zTXt. */
function pngText(bytes: Uint8Array): Buffer {
  const chunk = pngChunks(bytes).find((c) => c.type === 'tEXt' || c.type === 'zTXt')!
  const data = Buffer.from(chunk.data)
  const nul = data.indexOf(0)
  expect(data.subarray(0, nul).toString('latin1')).toBe('mxfile')
  return chunk.type === 'tEXt' ? data.subarray(nul + 1) : inflateSync(data.subarray(nul + 2))
}

describe('generated fixtures hold what their scripts put in them', () => {
  it('compressed diagrams decode (node:zlib) to the models they were made from', () => {
    const committed = readFileSync(new URL('compressed.drawio', FIXTURES), 'utf8')
    const models = diagramPayloads(committed).map((payload, i) =>
      i < 2 ? decodeURIComponent(payload.toString('latin1')) : payload.toString('utf8'),
    )
    const source = (file: string) =>
      /<mxGraphModel[\s\S]*<\/mxGraphModel>/.exec(readFileSync(new URL(file, FIXTURES), 'utf8'))![0]
    expect(models).toEqual([source('edges.drawio'), source('containers.drawio'), source('bare-model.xml')])
    for (const [name, text] of Object.entries(compressedFixtures())) {
      const onDisk = diagramPayloads(readFileSync(new URL(name, FIXTURES), 'utf8'))
      const fresh = diagramPayloads(text)
      expect(onDisk.length, name).toBe(fresh.length)
      for (const [i, payload] of onDisk.entries())
        expect(payload.equals(fresh[i]!), `${name} diagram ${i}`).toBe(true)
    }
  })

  it('PNGs are well-formed (CRCs, chunk order) and carry the URI-encoded mxfile', () => {
    for (const [name, bytes] of Object.entries(pngFixtures())) {
      const onDisk = read(name)
      expect(
        pngChunks(onDisk).map((c) => c.type),
        name,
      ).toEqual(['IHDR', name.includes('text') ? 'tEXt' : 'zTXt', 'IDAT', 'IEND'])
      expect(pngText(onDisk).equals(pngText(bytes)), name).toBe(true)
    }
    const carried = decodeURIComponent(pngText(read('edges-text.drawio.png')).toString('latin1'))
    expect(carried).toBe(readFileSync(new URL('edges.drawio', FIXTURES), 'utf8'))
  })
})

describe('draw.io fixtures through POST /api/links/<id>/import', () => {
  let database: TestDatabase
  let server: RunningServer
  const importInto = (linkId: string, file: string) =>
    fetch(`${server.url}/api/links/${linkId}/import`, { method: 'POST', body: Buffer.from(read(file)) })

  async function recordsOf(linkId: string): Promise<Map<string, TLRecord>> {
    const client = await connectSynced(server.url, linkId)
    const records = readRecords(client.doc)
    destroyAll([client])
    return records
  }

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('imports every good fixture with the counts of the shared import', async () => {
    for (const fixture of GOOD) {
      const room = await createRoom(server.url, fixture.file)
      const response = await importInto(room.links.edit.id, fixture.file)
      expect(response.status, fixture.file).toBe(200)
      const body = (await response.json()) as { pages: Array<{ name: string }> }
      expect(body, fixture.file).toMatchObject(fixture.counts)
      expect(body.pages.map((page) => page.name)).toEqual(fixture.pages)
    }
  })

  it('answers 400 with the exact refusal to every hostile fixture and leaves the room as it was', async () => {
    const room = await createRoom(server.url, 'Hostile imports')
    const editor = await connectSynced(server.url, room.links.edit.id)
    const [index] = getIndices(1)
    const existing = buildGeoShape({ x: 0, y: 0, w: 100, h: 50, text: 'already here', index: index! })
    editor.doc.transact(() => openRecords(editor.doc).set(existing.id, existing))
    await waitFor(async () => (await recordsOf(room.links.view.id)).has(existing.id), 'the shape is stored')
    destroyAll([editor])
    const before = [...(await recordsOf(room.links.view.id)).entries()].sort(([a], [b]) => a.localeCompare(b))

    for (const { file, error } of HOSTILE) {
      const response = await importInto(room.links.edit.id, file)
      expect(response.status, file).toBe(400)
      expect(await response.json(), file).toEqual({ error: `This file cannot be imported: ${error}` })
    }
    const after = [...(await recordsOf(room.links.view.id)).entries()].sort(([a], [b]) => a.localeCompare(b))
    expect(after).toEqual(before)

    // The same room does take a good file: the comparison above would have seen a change.
    expect((await importInto(room.links.edit.id, 'bare-model.xml')).status).toBe(200)
    await waitFor(
      async () => (await recordsOf(room.links.view.id)).size === before.length + 5,
      'the good import arrives (2 shapes, 1 arrow, 2 bindings)',
    )
  })
})
