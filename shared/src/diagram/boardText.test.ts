import { createShapeId, type TLPageId, type TLRecord, type TLShape } from '@tldraw/tlschema'
import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildPage,
  buildTextShape,
  FIRST_PAGE_ID,
} from '../document/records'
import { FREE_SPACE_GAP, findFreeSpace, pageBoxOf, pageOf, unionOf } from './boardGeometry'
import { describeBoard, labelOf } from './boardText'
import type { Box } from './layout'
import { seededRandom } from './sampleDiagrams'

const SECOND_PAGE_ID = 'page:second' as TLPageId
const byId = (records: TLRecord[]) => new Map(records.map((record) => [record.id, record]))
const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
/** The gap between two boxes that do not overlap (0 when they touch or overlap). */
const gapBetween = (a: Box, b: Box) =>
  Math.max(b.x - (a.x + a.w), a.x - (b.x + b.w), b.y - (a.y + a.h), a.y - (b.y + b.h), 0)

/** A page with a frame (holding a nested frame holding a box), boxes, a note, a text and arrows. */
function sampleBoard() {
  const [i1, i2, i3, i4, i5, i6, i7, i8, i9] = getIndices(9)
  const page = buildPage({ id: FIRST_PAGE_ID, name: 'Page 1' })
  const other = buildPage({ id: SECOND_PAGE_ID, name: 'Page 2', index: 'a5' as never })
  const api = buildGeoShape({ x: 0, y: 0, w: 160, h: 80, text: 'API', index: i1!, color: 'blue' })
  const db = buildGeoShape({
    x: 400,
    y: 0,
    w: 160,
    h: 80,
    text: 'Database',
    geo: 'ellipse',
    index: i2!,
    fill: 'solid',
    dash: 'dashed',
  })
  const frame = buildFrameShape({ x: 1000, y: 500, w: 600, h: 400, name: 'Backend', index: i3! })
  const inner = buildFrameShape({
    x: 50,
    y: 60,
    w: 300,
    h: 200,
    name: 'Workers',
    index: i1!,
    parentId: frame.id,
  })
  const worker = buildGeoShape({
    x: 10,
    y: 20,
    w: 100,
    h: 50,
    text: 'Worker',
    index: i1!,
    parentId: inner.id,
  })
  const note = buildNoteShape({ x: 0, y: 300, text: 'Remember\n  the   cache', index: i4! })
  const text = buildTextShape({ x: 300, y: 300, w: 120, text: 'Free text', index: i5! })
  const arrow = buildBoundArrow({
    from: { id: api.id, x: 160, y: 40 },
    to: { id: db.id, x: 400, y: 40 },
    index: i6!,
    text: 'queries',
  })
  const free = buildBoundArrow({
    from: { id: db.id, x: 560, y: 40 },
    to: { id: worker.id, x: 1060, y: 580 },
    index: i7!,
  })
  const elsewhere = buildGeoShape({
    x: 0,
    y: 0,
    w: 100,
    h: 100,
    text: 'Other page',
    index: i8!,
    parentId: other.id,
  })
  const untitled = buildGeoShape({ x: 700, y: 0, w: 100, h: 100, index: i9! })
  return {
    records: [page, other, api, db, frame, inner, worker, note, text, ...arrow, ...free, elsewhere, untitled],
    api,
    db,
    frame,
    inner,
    worker,
    note,
    text,
    arrow: arrow[0],
    free: free[0],
    elsewhere,
    untitled,
  }
}

/** A seeded board of up to 40 boxes scattered over a 3,000 × 2,000 area (they may overlap each other). */
function randomBoxes(random: () => number): Box[] {
  const count = Math.floor(random() * 40)
  return Array.from({ length: count }, () => ({
    x: Math.round(random() * 3000 - 1500),
    y: Math.round(random() * 2000 - 1000),
    w: 20 + Math.round(random() * 400),
    h: 20 + Math.round(random() * 300),
  }))
}

describe('boardGeometry', () => {
  it('pageBoxOf adds the offsets of nested frames', () => {
    const board = sampleBoard()
    const records = byId(board.records)
    expect(pageBoxOf(board.frame, records)).toEqual({ x: 1000, y: 500, w: 600, h: 400 })
    expect(pageBoxOf(board.inner, records)).toEqual({ x: 1050, y: 560, w: 300, h: 200 })
    expect(pageBoxOf(board.worker, records)).toEqual({ x: 1060, y: 580, w: 100, h: 50 })
    // Notes are 200 × 200 (plus growY); a text shape without a height counts 40 high.
    expect(pageBoxOf(board.note, records)).toEqual({ x: 0, y: 300, w: 200, h: 200 })
    expect(pageBoxOf(board.text, records)).toEqual({ x: 300, y: 300, w: 120, h: 40 })
  })

  it('pageBoxOf spans an arrow from its start to its end, whichever way it points', () => {
    const board = sampleBoard()
    const records = byId(board.records)
    expect(pageBoxOf(board.arrow, records)).toEqual({ x: 160, y: 40, w: 240, h: 0 })
    const [back] = buildBoundArrow({
      from: { id: board.db.id, x: 400, y: 300 },
      to: { id: board.api.id, x: 100, y: 100 },
      index: 'a1' as never,
      parentId: board.inner.id,
    })
    expect(pageBoxOf(back, records)).toEqual({ x: 1050 + 100, y: 560 + 100, w: 300, h: 200 })
  })

  it('pageOf walks up through frames, and gives up on a parent cycle', () => {
    const board = sampleBoard()
    const records = byId(board.records)
    expect(pageOf(board.worker, records)).toBe(FIRST_PAGE_ID)
    expect(pageOf(board.elsewhere, records)).toBe(SECOND_PAGE_ID)
    const a = { ...board.api, id: createShapeId('a'), parentId: createShapeId('b') } as TLShape
    const b = { ...board.api, id: createShapeId('b'), parentId: createShapeId('a') } as TLShape
    const cyclic = byId([a, b])
    expect(pageOf(a, cyclic)).toBeUndefined()
    expect(pageBoxOf(a, cyclic)).toEqual({ x: 0, y: 0, w: 160, h: 80 })
  })

  it('unionOf holds every box', () => {
    expect(unionOf([])).toBeUndefined()
    expect(
      unionOf([
        { x: 10, y: 20, w: 5, h: 5 },
        { x: -10, y: 0, w: 5, h: 100 },
        { x: 50, y: 50, w: 10, h: 10 },
      ]),
    ).toEqual({ x: -10, y: 0, w: 70, h: 100 })
  })

  it('findFreeSpace never overlaps an occupied box, on seeded random boards', () => {
    const random = seededRandom(7)
    for (let run = 0; run < 400; run++) {
      const occupied = randomBoxes(random)
      const size = { w: 40 + Math.round(random() * 600), h: 40 + Math.round(random() * 400) }
      const near =
        occupied.length > 0 && random() < 0.6 ? occupied[Math.floor(random() * occupied.length)] : undefined
      const spot = findFreeSpace(occupied, size, near)
      const placed = { ...spot, ...size }
      expect(Number.isFinite(spot.x) && Number.isFinite(spot.y)).toBe(true)
      for (const box of occupied) {
        expect(overlaps(placed, box), `run ${run}: ${JSON.stringify({ placed, box })}`).toBe(false)
        expect(gapBetween(placed, box), `run ${run}`).toBeGreaterThanOrEqual(FREE_SPACE_GAP - 1)
      }
    }
  })

  it('findFreeSpace prefers the right of `near`, then below, left, above', () => {
    const near = { x: 0, y: 0, w: 100, h: 100 }
    const size = { w: 50, h: 50 }
    const right = { x: 100 + FREE_SPACE_GAP, y: 0 }
    const below = { x: 0, y: 100 + FREE_SPACE_GAP }
    const left = { x: -50 - FREE_SPACE_GAP, y: 0 }
    const above = { x: 0, y: -50 - FREE_SPACE_GAP }
    expect(findFreeSpace([near], size, near)).toEqual(right)
    const block = (spot: { x: number; y: number }) => ({ ...spot, ...size })
    expect(findFreeSpace([near, block(right)], size, near)).toEqual(below)
    expect(findFreeSpace([near, block(right), block(below)], size, near)).toEqual(left)
    expect(findFreeSpace([near, block(right), block(below), block(left)], size, near)).toEqual(above)
  })

  it('findFreeSpace stays beside `near` rather than beside the whole board', () => {
    const occupied = [
      { x: 0, y: 0, w: 100, h: 100 },
      { x: 5000, y: 0, w: 100, h: 100 },
    ]
    const spot = findFreeSpace(occupied, { w: 80, h: 40 }, occupied[0])
    expect(spot).toEqual({ x: 100 + FREE_SPACE_GAP, y: 0 })
    // Without `near`: to the right of all the content.
    expect(findFreeSpace(occupied, { w: 80, h: 40 })).toEqual({ x: 5100 + FREE_SPACE_GAP, y: 0 })
  })

  it('findFreeSpace on an empty board uses `near` or the origin', () => {
    expect(findFreeSpace([], { w: 10, h: 10 })).toEqual({ x: 0, y: 0 })
    expect(findFreeSpace([], { w: 10, h: 10 }, { x: 30, y: 40, w: 5, h: 5 })).toEqual({ x: 30, y: 40 })
  })
})

describe('labelOf', () => {
  it('reads geo labels, note and text, arrow labels and frame names', () => {
    const board = sampleBoard()
    expect(labelOf(board.api)).toBe('API')
    expect(labelOf(board.note)).toContain('Remember')
    expect(labelOf(board.text)).toBe('Free text')
    expect(labelOf(board.arrow)).toBe('queries')
    expect(labelOf(board.frame)).toBe('Backend')
    expect(labelOf(board.untitled)).toBe('')
  })
})

describe('describeBoard', () => {
  it('lists the page’s shapes with short ids, kinds, labels, positions and styles', () => {
    const board = sampleBoard()
    const { text, shortIds } = describeBoard(board.records)
    const lines = text.split('\n')
    expect(lines[0]).toMatch(/^10 shapes /)
    const short = (id: string) => [...shortIds].find(([, recordId]) => recordId === id)?.[0]
    const line = (id: string) => lines.find((l) => l.startsWith(`${short(id)} `))
    expect(short(board.api.id)).toMatch(/^s\d+$/)
    expect(line(board.api.id)).toBe(`${short(board.api.id)} rectangle "API" at 0,0 size 160x80 blue draw`)
    expect(line(board.db.id)).toBe(
      `${short(board.db.id)} ellipse "Database" at 400,0 size 160x80 black fill solid dashed`,
    )
    expect(line(board.frame.id)).toContain('frame "Backend" at 1000,500 size 600x400')
    expect(line(board.worker.id)).toContain(`"Worker" at 1060,580 size 100x50`)
    expect(line(board.worker.id)).toMatch(new RegExp(` in ${short(board.inner.id)}$`))
    expect(line(board.note.id)).toContain('note "Remember the cache"')
    expect(line(board.untitled.id)).toBe(
      `${short(board.untitled.id)} rectangle at 700,0 size 100x100 black draw`,
    )
    // Arrows by what they connect.
    expect(lines).toContain(
      `${short(board.arrow.id)} arrow ${short(board.api.id)} -> ${short(board.db.id)} "queries"`,
    )
    expect(lines).toContain(
      `${short(board.free.id)} arrow ${short(board.db.id)} -> ${short(board.worker.id)}`,
    )
    // Every short id maps to a record on the page, and is printed once.
    expect(shortIds.size).toBe(10)
    for (const [s, id] of shortIds) {
      expect(lines.filter((l) => l.startsWith(`${s} `))).toHaveLength(1)
      expect(board.records.some((record) => record.id === id)).toBe(true)
    }
  })

  it('ignores other pages, and describes one when asked', () => {
    const board = sampleBoard()
    const first = describeBoard(board.records)
    expect(first.text).not.toContain('Other page')
    expect([...first.shortIds.values()]).not.toContain(board.elsewhere.id)
    const second = describeBoard(board.records, { pageId: SECOND_PAGE_ID })
    expect(second.text).toBe(
      '1 shape (id kind "label" at x,y size wxh style [in frame]):\ns1 rectangle "Other page" at 0,0 size 100x100 black draw',
    )
    expect(second.shortIds.get('s1')).toBe(board.elsewhere.id)
  })

  it('describes an arrow bound to a shape on another page as off-page, an unbound end as free', () => {
    const board = sampleBoard()
    const [cross, fromApi, toOther] = buildBoundArrow({
      from: { id: board.api.id, x: 0, y: 0 },
      to: { id: board.elsewhere.id, x: 10, y: 10 },
      index: 'a9' as never,
    })
    const { text, shortIds } = describeBoard([...board.records, cross, toOther])
    const s = [...shortIds].find(([, id]) => id === cross.id)![0]
    expect(text).toContain(`${s} arrow free -> off-page`)
    const both = describeBoard([...board.records, cross, fromApi, toOther])
    const apiShort = [...both.shortIds].find(([, id]) => id === board.api.id)![0]
    expect(both.text).toContain(`arrow ${apiShort} -> off-page`)
  })

  it('puts the selection first and names it', () => {
    const board = sampleBoard()
    const { text, shortIds } = describeBoard(board.records, { selection: [board.untitled.id, board.db.id] })
    const lines = text.split('\n')
    const selected = new Set([shortIds.get(lines[1]!.split(' ')[0]!), shortIds.get(lines[2]!.split(' ')[0]!)])
    expect(selected).toEqual(new Set([board.untitled.id, board.db.id]))
    expect(shortIds.get('s1')).toBe(board.db.id) // db sorts below untitled by index
    expect(shortIds.get('s2')).toBe(board.untitled.id)
    expect(lines.at(-1)).toBe(`Selected (the user's focus): s2, s1`)
  })

  it('says nothing about a selection that is not on the page', () => {
    const board = sampleBoard()
    const { text } = describeBoard(board.records, { selection: [board.elsewhere.id, 'shape:gone'] })
    expect(text).not.toContain('Selected')
  })

  it('keeps within maxChars, counting the shapes it leaves out', () => {
    const records: TLRecord[] = [buildPage({ id: FIRST_PAGE_ID, name: 'Page 1' })]
    const indices = getIndices(200)
    for (let i = 0; i < 200; i++) {
      records.push(
        buildGeoShape({ x: i * 200, y: 0, w: 150, h: 80, text: `Service number ${i}`, index: indices[i]! }),
      )
    }
    const full = describeBoard(records)
    expect(full.text).not.toContain('more shapes')
    for (const maxChars of [400, 1000, 4000]) {
      const { text, shortIds } = describeBoard(records, { maxChars, selection: [records[151]!.id] })
      expect(text.length).toBeLessThanOrEqual(maxChars)
      const listed = text.split('\n').filter((line) => /^s\d+ /.test(line)).length
      expect(listed).toBeGreaterThan(0)
      expect(listed).toBeLessThan(200)
      expect(text).toContain(`… and ${200 - listed} more shapes not listed`)
      // The selection is listed first even when the budget is tight, and every shape keeps a short id.
      expect(text.split('\n')[1]).toContain('"Service number 150"')
      expect(text.endsWith("Selected (the user's focus): s1")).toBe(true)
      expect(shortIds.size).toBe(200)
    }
  })

  it('shortens long labels and flattens whitespace', () => {
    const long = buildGeoShape({
      x: 0,
      y: 0,
      w: 100,
      h: 100,
      text: `a\n\n${'b'.repeat(300)}`,
      index: 'a1' as never,
    })
    const { text } = describeBoard([buildPage({ id: FIRST_PAGE_ID, name: 'P' }), long])
    const label = JSON.parse(text.split('\n')[1]!.match(/"[^"]*"/)![0]) as string
    expect(label.length).toBe(80)
    expect(label.startsWith('a bbb')).toBe(true)
    expect(label.endsWith('…')).toBe(true)
  })

  it('says an empty board is empty, and accepts a Map', () => {
    const page = buildPage({ id: FIRST_PAGE_ID, name: 'P' })
    expect(describeBoard([page]).text).toBe('The board is empty.')
    const board = sampleBoard()
    expect(describeBoard(byId(board.records)).text).toBe(describeBoard(board.records).text)
  })
})
