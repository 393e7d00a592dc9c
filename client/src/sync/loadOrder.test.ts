/**
 * Which records an opening board hands tldraw first: the document and pages, the shapes on screen
 * (nearest the centre first, up to the budget) with their frames, group members and arrow ends;
 * then the rest, nearest first, the current page before the others.
 */
import {
  buildBoundArrow,
  buildDocumentRecord,
  buildFrameShape,
  buildGeoShape,
  buildPage,
  FIRST_PAGE_ID,
  getIndices,
  type TLRecord,
  type TLShapeId,
  validateDocumentRecord,
} from '@drawbridge/shared'
import { describe, expect, it } from 'vitest'
import { LoadGraph, planLoad, putOrder, viewDistance, withDependencies } from './loadOrder'

const indices = getIndices(400)
let next = 0
const index = () => indices[next++ % indices.length]!

const box = (id: string, x: number, y: number, parentId?: string) =>
  buildGeoShape({
    id: `shape:${id}` as TLShapeId,
    x,
    y,
    w: 100,
    h: 60,
    text: id,
    index: index(),
    parentId: parentId as never,
  })

function group(id: string, x: number, y: number): TLRecord {
  const base = box(id, x, y)
  const checked = validateDocumentRecord({ ...base, type: 'group', props: {} })
  if (!checked.ok) throw new Error(checked.error)
  return checked.record
}

const SCREEN = { x: 0, y: 0, w: 1000, h: 600 }
const SECOND_PAGE = 'page:second'

/** A board: a 10 × 10 grid of boxes 400 apart from the origin, plus the special cases below. */
function board(): TLRecord[] {
  const records: TLRecord[] = [buildDocumentRecord(), buildPage({ id: FIRST_PAGE_ID, name: 'Page 1' })]
  records.push(buildPage({ id: SECOND_PAGE as never, name: 'Page 2', index: 'a2' as never }))
  for (let row = 0; row < 10; row++)
    for (let col = 0; col < 10; col++) records.push(box(`grid-${col}-${row}`, col * 400 + 20, row * 400 + 20))
  // A frame on screen with two children; a group far away with three members (one nested group).
  records.push(
    buildFrameShape({
      id: 'shape:frame' as TLShapeId,
      x: 200,
      y: 200,
      w: 300,
      h: 200,
      name: 'F',
      index: index(),
    }),
  )
  records.push(box('in-frame-a', 10, 10, 'shape:frame'), box('in-frame-b', 150, 10, 'shape:frame'))
  records.push(group('far-group', 3000, 3000), {
    ...group('inner-group', 0, 0),
    parentId: 'shape:far-group',
  } as TLRecord)
  records.push(box('member-a', 0, 0, 'shape:far-group'), box('member-b', 0, 0, 'shape:inner-group'))
  records.push(box('member-c', 200, 0, 'shape:inner-group'))
  // An arrow from a shape on screen to a far one (so it crosses the screen), and one far away.
  const far = box('far-target', 3800, 3800)
  records.push(far)
  const [near, nearStart, nearEnd] = buildBoundArrow({
    id: 'shape:near-arrow' as TLShapeId,
    from: { id: 'shape:grid-0-0' as TLShapeId, x: 70, y: 50 },
    to: { id: far.id, x: 3850, y: 3830 },
    index: index(),
    bindingIds: { start: 'binding:near-start' as never, end: 'binding:near-end' as never },
  })
  const [farArrow, farStart, farEnd] = buildBoundArrow({
    id: 'shape:far-arrow' as TLShapeId,
    from: { id: 'shape:grid-9-9' as TLShapeId, x: 3670, y: 3650 },
    to: { id: 'shape:grid-5-5' as TLShapeId, x: 2070, y: 2050 },
    index: index(),
    bindingIds: { start: 'binding:far-start' as never, end: 'binding:far-end' as never },
  })
  records.push(near, nearStart, nearEnd, farArrow, farStart, farEnd)
  // A shape on the other page, right where the view is.
  records.push(box('other-page', 20, 20, SECOND_PAGE))
  return records
}

describe('planLoad', () => {
  const records = board()
  const plan = planLoad(records, { pageId: FIRST_PAGE_ID, box: SCREEN }, 12)
  const first = new Set(plan.first)
  const laterUnits = new Set(plan.later)

  it('starts with the document and every page, then the shapes on screen', () => {
    expect(plan.first.slice(0, 3).sort()).toEqual(['document:document', FIRST_PAGE_ID, SECOND_PAGE].sort())
    const onScreen = [
      'shape:grid-0-0',
      'shape:grid-1-0',
      'shape:grid-2-0',
      'shape:grid-0-1',
      'shape:grid-2-1',
    ]
    for (const id of [...onScreen, 'shape:frame']) expect(first.has(id), id).toBe(true)
    for (const id of ['shape:grid-9-9', 'shape:grid-5-5', 'shape:far-group', 'shape:other-page'])
      expect(first.has(id), id).toBe(false)
  })

  it('keeps the first batch near the budget and takes every record exactly once', () => {
    const shapesFirst = plan.first.filter((id) => id.startsWith('shape:'))
    // 12 shapes of budget (a unit is never split), plus the far end of the arrow on screen.
    expect(shapesFirst.length).toBeLessThanOrEqual(12 + 2 + 1)
    const graph = new LoadGraph(records)
    const everything = [...plan.first, ...plan.later.flatMap((unit) => graph.members(unit))]
    const bindingsLater = records.filter((r) => r.typeName === 'binding' && !first.has(r.id))
    expect(new Set(everything).size).toBe(everything.length)
    expect(everything.length + bindingsLater.length).toBe(records.length)
  })

  it("brings a frame's children with it, after it", () => {
    expect(plan.first.indexOf('shape:in-frame-a')).toBeGreaterThan(plan.first.indexOf('shape:frame'))
    expect(first.has('shape:in-frame-b')).toBe(true)
  })

  it('brings an on-screen arrow with its bindings and the far shape it points at', () => {
    for (const id of ['shape:near-arrow', 'binding:near-start', 'binding:near-end', 'shape:far-target'])
      expect(first.has(id), id).toBe(true)
    const lastShape = Math.max(
      ...plan.first.filter((id) => id.startsWith('shape:')).map((id) => plan.first.indexOf(id)),
    )
    expect(plan.first.indexOf('binding:near-end')).toBeGreaterThan(lastShape)
  })

  it('leaves a binding whose arrow is far away for when the arrow loads', () => {
    for (const id of ['binding:far-end', 'binding:far-start', 'shape:far-arrow', 'shape:grid-5-5'])
      expect(first.has(id), id).toBe(false)
  })

  it('keeps a group whole: one unit, its members (nested too) loaded with it', () => {
    expect(laterUnits.has('shape:far-group')).toBe(true)
    for (const id of ['shape:member-a', 'shape:inner-group', 'shape:member-b'])
      expect(laterUnits.has(id)).toBe(false)
    const graph = new LoadGraph(records)
    expect(graph.members('shape:far-group').sort()).toEqual(
      ['shape:far-group', 'shape:inner-group', 'shape:member-a', 'shape:member-b', 'shape:member-c'].sort(),
    )
  })

  it('orders the rest nearest first, the current page before the other pages', () => {
    expect(plan.later.at(-1)).toBe('shape:other-page')
    const position = (id: string) => plan.later.indexOf(id)
    expect(position('shape:grid-4-0')).toBeLessThan(position('shape:grid-6-0'))
    expect(position('shape:grid-6-0')).toBeLessThan(position('shape:grid-9-9'))
    expect(position('shape:grid-9-9')).toBeLessThan(position('shape:other-page'))
  })

  it('follows the stored view: a view in the far corner loads the far corner first', () => {
    const corner = planLoad(
      records,
      { pageId: FIRST_PAGE_ID, box: { x: 3400, y: 3400, w: 1000, h: 600 } },
      10,
    )
    expect(corner.first).toContain('shape:grid-9-9')
    expect(corner.first).not.toContain('shape:grid-1-1')
    // The far arrow is on screen now: its bindings come, and so does the shape at its other end.
    expect(corner.first).toEqual(
      expect.arrayContaining(['shape:far-arrow', 'binding:far-end', 'shape:grid-5-5']),
    )
  })

  it('loads a small board in one go', () => {
    const small = planLoad(records.slice(0, 20), { pageId: FIRST_PAGE_ID, box: SCREEN })
    expect(small.later).toEqual([])
    expect(small.first).toHaveLength(20)
  })
})

describe('withDependencies', () => {
  it('pulls the other end of a binding but not what is already loaded', () => {
    const records = board()
    const graph = new LoadGraph(records)
    const loaded = new Set(['shape:grid-5-5'])
    const ids = withDependencies(graph, ['shape:far-arrow'], (id) => !loaded.has(id))
    expect(ids).toEqual(['shape:far-arrow', 'shape:grid-9-9', 'binding:far-start', 'binding:far-end'])
  })

  it('takes a whole group when asked for one of its members', () => {
    const graph = new LoadGraph(board())
    expect(withDependencies(graph, ['shape:member-b'], () => true)).toHaveLength(5)
  })
})

describe('putOrder and viewDistance', () => {
  it('puts pages before shapes, parents before children, bindings last', () => {
    const records = board()
    const picked = [
      'binding:near-end',
      'shape:member-b',
      'shape:inner-group',
      'shape:far-group',
      FIRST_PAGE_ID,
    ]
    const ordered = putOrder(records.filter((r) => picked.includes(r.id))).map((r) => r.id)
    expect(ordered).toEqual([
      FIRST_PAGE_ID,
      'shape:far-group',
      'shape:inner-group',
      'shape:member-b',
      'binding:near-end',
    ])
  })

  it('is at most 1 for a box on screen and grows with the distance', () => {
    expect(viewDistance({ x: 900, y: 500, w: 10, h: 10 }, SCREEN)).toBeLessThanOrEqual(1)
    expect(viewDistance({ x: 1600, y: 0, w: 10, h: 10 }, SCREEN)).toBeCloseTo(2.2)
    expect(viewDistance(null, SCREEN)).toBe(Number.POSITIVE_INFINITY)
  })
})
