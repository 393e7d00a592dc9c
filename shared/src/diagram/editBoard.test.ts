import type { TLArrowBinding, TLArrowShape, TLRecord, TLShape } from '@tldraw/tlschema'
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
import { validateDocumentRecord } from '../document/schema'
import { MAX_SHAPES_PER_PAGE, ShapeLimitError, shapeLimitWords, shapesOnPage } from '../document/shapeLimit'
import { FREE_SPACE_GAP, pageBoxOf } from './boardGeometry'
import { describeBoard, labelOf } from './boardText'
import { applyEditOperations, type BoardEdit } from './editBoard'
import type { Box } from './layout'
import { seededRandom } from './sampleDiagrams'
import type { EditOperation } from './spec'

const KEY = 'job42-'
const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** API → DB (bound arrow), a frame holding Worker (→ DB), a note, a text, and a second page. */
function sampleBoard() {
  const [i1, i2, i3, i4, i5, i6, i7] = getIndices(7)
  const page = buildPage({ id: FIRST_PAGE_ID, name: 'Page 1' })
  const api = buildGeoShape({ x: 0, y: 0, w: 160, h: 80, text: 'API', index: i1! })
  const db = buildGeoShape({ x: 400, y: 0, w: 160, h: 80, text: 'DB', geo: 'ellipse', index: i2! })
  const frame = buildFrameShape({ x: 0, y: 400, w: 500, h: 300, name: 'Backend', index: i3! })
  const worker = buildGeoShape({
    x: 40,
    y: 60,
    w: 120,
    h: 60,
    text: 'Worker',
    index: i1!,
    parentId: frame.id,
  })
  const note = buildNoteShape({ x: 800, y: 0, text: 'A note', index: i4! })
  const text = buildTextShape({ x: 800, y: 400, w: 100, text: 'Some text', index: i5! })
  const apiToDb = buildBoundArrow({
    from: { id: api.id, x: 160, y: 40 },
    to: { id: db.id, x: 400, y: 40 },
    index: i6!,
    text: 'reads',
  })
  const workerToDb = buildBoundArrow({
    from: { id: worker.id, x: 160, y: 490 },
    to: { id: db.id, x: 480, y: 80 },
    index: i7!,
  })
  const records: TLRecord[] = [page, api, db, frame, worker, note, text, ...apiToDb, ...workerToDb]
  const { shortIds } = describeBoard(records)
  const short = (id: string) => [...shortIds].find(([, recordId]) => recordId === id)![0]
  return { records, shortIds, short, page, api, db, frame, worker, note, text, apiToDb, workerToDb }
}

type Board = ReturnType<typeof sampleBoard>

function edit(board: Board, operations: EditOperation[]): BoardEdit {
  const result = applyEditOperations(board.records, operations, {
    shortIds: board.shortIds,
    keyPrefix: KEY,
    pageId: FIRST_PAGE_ID,
  })
  for (const record of result.put) {
    const checked = validateDocumentRecord(record)
    expect(checked.ok, checked.ok ? '' : `${record.id}: ${checked.error}`).toBe(true)
  }
  // Only records that existed are removed, and nothing is both put and removed.
  const existing = new Set(board.records.map((record) => record.id))
  for (const id of result.remove) expect(existing.has(id as never), id).toBe(true)
  for (const record of result.put) expect(result.remove).not.toContain(record.id)
  return result
}

/** The board after an edit. */
function after(board: Board, result: BoardEdit): Map<string, TLRecord> {
  const records = new Map<string, TLRecord>(board.records.map((record) => [record.id, record]))
  for (const id of result.remove) records.delete(id)
  for (const record of result.put) records.set(record.id, record)
  return records
}

const put = (result: BoardEdit, id: string) =>
  result.put.find((record) => record.id === id) as TLShape | undefined
const bindingsOf = (records: Iterable<TLRecord>, arrowId: string) =>
  [...records].filter(
    (record): record is TLArrowBinding => record.typeName === 'binding' && record.fromId === arrowId,
  )

describe('applyEditOperations: add', () => {
  it('adds a node beside `near`, overlapping nothing, keyed by the job', () => {
    const board = sampleBoard()
    const result = edit(board, [
      {
        op: 'add',
        node: { id: 'cache', label: 'Cache', shape: 'hexagon', color: 'green' },
        near: board.short(board.db.id),
      },
    ])
    expect(result.problems).toEqual([])
    expect(result.remove).toEqual([])
    expect(result.put).toHaveLength(1)
    const cache = result.put[0] as TLShape
    expect(cache.id).toContain(KEY)
    expect(cache.meta).toEqual({ jobKey: KEY })
    expect(cache.parentId).toBe(FIRST_PAGE_ID)
    expect(cache.type).toBe('geo')
    expect(cache.props).toMatchObject({ geo: 'hexagon', color: 'green' })
    expect(labelOf(cache)).toBe('Cache')
    const records = after(board, result)
    const box = pageBoxOf(cache, records)
    // Right of DB the note is too close (within the gap), so it goes below DB, on DB's left line.
    expect(box.x).toBe(400)
    expect(box.y).toBe(80 + FREE_SPACE_GAP)
    for (const record of board.records) {
      if (record.typeName !== 'shape' || record.type === 'arrow') continue
      expect(overlaps(box, pageBoxOf(record, records)), record.id).toBe(false)
    }
    // Stacked above everything already on the page.
    for (const record of board.records) {
      if (record.typeName === 'shape' && record.parentId === FIRST_PAGE_ID)
        expect(cache.index > record.index).toBe(true)
    }
  })

  it('prefers the right of `near` when it is free', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'add', node: { id: 'later', label: 'Later' }, near: board.short(board.note.id) },
    ])
    expect(result.problems).toEqual([])
    const box = pageBoxOf(result.put[0] as TLShape, after(board, result))
    expect({ x: box.x, y: box.y }).toEqual({ x: 800 + 200 + FREE_SPACE_GAP, y: 0 })
  })

  it('adds nothing when `near` names no shape', () => {
    const board = sampleBoard()
    const result = edit(board, [{ op: 'add', node: { id: 'lost', label: 'Lost' }, near: 's42' }])
    expect(result.problems).toEqual(['operation 1 (add): there is no shape "s42" on the board'])
    expect(result.put).toEqual([])
  })

  it('adds notes and text, and beside the whole board when there is no `near`', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'add', node: { id: 'n', label: 'Sticky', shape: 'note' } },
      { op: 'add', node: { id: 't', label: 'Words', shape: 'text' } },
    ])
    expect(result.problems).toEqual([])
    expect(result.put.map((record) => (record as TLShape).type)).toEqual(['note', 'text'])
    const [note, text] = result.put as TLShape[]
    expect(note!.index < text!.index).toBe(true)
    const records = after(board, result)
    const content = board.records.filter(
      (record): record is TLShape => record.typeName === 'shape' && record.type !== 'arrow',
    )
    const right = Math.max(...content.map((shape) => pageBoxOf(shape, records)).map((box) => box.x + box.w))
    for (const added of [note!, text!]) {
      const box = pageBoxOf(added, records)
      // To the right of all the content, since nothing was named.
      expect(box.x).toBeGreaterThanOrEqual(right + FREE_SPACE_GAP)
      for (const shape of [...content, note!, text!]) {
        if (shape.id !== added.id) expect(overlaps(box, pageBoxOf(shape, records)), shape.id).toBe(false)
      }
    }
  })

  it('never overlaps existing shapes, on seeded random boards', () => {
    const random = seededRandom(11)
    for (let run = 0; run < 60; run++) {
      const count = 1 + Math.floor(random() * 25)
      const indices = getIndices(count)
      const records: TLRecord[] = [buildPage({ id: FIRST_PAGE_ID, name: 'P' })]
      for (let i = 0; i < count; i++) {
        records.push(
          buildGeoShape({
            x: Math.round(random() * 2000),
            y: Math.round(random() * 1500),
            w: 40 + Math.round(random() * 300),
            h: 40 + Math.round(random() * 200),
            index: indices[i]!,
          }),
        )
      }
      const { shortIds } = describeBoard(records)
      const operations: EditOperation[] = Array.from({ length: 3 }, (_, k) => ({
        op: 'add',
        node: { id: `new${k}`, label: 'x'.repeat(1 + Math.floor(random() * 60)) },
        near: `s${1 + Math.floor(random() * count)}`,
      }))
      const result = applyEditOperations(records, operations, {
        shortIds,
        keyPrefix: KEY,
        pageId: FIRST_PAGE_ID,
      })
      expect(result.problems).toEqual([])
      expect(result.put).toHaveLength(3)
      const all = new Map<string, TLRecord>(records.map((record) => [record.id, record]))
      for (const record of result.put) all.set(record.id, record)
      const boxes = [...all.values()]
        .filter((record): record is TLShape => record.typeName === 'shape')
        .map((shape) => ({ id: shape.id, box: pageBoxOf(shape, all) }))
      for (const added of result.put) {
        const box = pageBoxOf(added as TLShape, all)
        for (const other of boxes) {
          if (other.id === added.id) continue
          expect(overlaps(box, other.box), `run ${run}`).toBe(false)
        }
      }
    }
  })
})

describe('applyEditOperations: update', () => {
  it('relabels geo, note, text and arrows, and renames frames', () => {
    const board = sampleBoard()
    const arrow = board.apiToDb[0]
    const result = edit(board, [
      { op: 'update', id: board.short(board.db.id), label: 'Postgres' },
      { op: 'update', id: board.short(board.note.id), label: 'New note' },
      { op: 'update', id: board.short(board.text.id), label: 'New text' },
      { op: 'update', id: board.short(arrow.id), label: 'writes' },
      { op: 'update', id: board.short(board.frame.id), label: 'Services' },
    ])
    expect(result.problems).toEqual([])
    expect(labelOf(put(result, board.db.id)!)).toBe('Postgres')
    expect(labelOf(put(result, board.note.id)!)).toBe('New note')
    expect(labelOf(put(result, board.text.id)!)).toBe('New text')
    expect(labelOf(put(result, arrow.id)!)).toBe('writes')
    expect((put(result, board.frame.id)!.props as { name: string }).name).toBe('Services')
    // Nothing else about the shapes changed.
    expect({ ...put(result, board.db.id)!, props: {} }).toEqual({ ...board.db, props: {} })
  })

  it('accepts record ids as well as short ids', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'update', id: board.api.id, label: 'Gateway' },
      { op: 'update', id: board.worker.id.slice('shape:'.length), label: 'Job runner' },
    ])
    expect(result.problems).toEqual([])
    expect(labelOf(put(result, board.api.id)!)).toBe('Gateway')
    expect(labelOf(put(result, board.worker.id)!)).toBe('Job runner')
  })
})

describe('applyEditOperations: restyle', () => {
  it('sets colour, fill, dash and geo shape', () => {
    const board = sampleBoard()
    const result = edit(board, [
      {
        op: 'restyle',
        id: board.short(board.db.id),
        color: 'red',
        fill: 'solid',
        dash: 'dashed',
        shape: 'diamond',
      },
      { op: 'restyle', id: board.short(board.api.id), shape: 'parallelogram' },
    ])
    expect(result.problems).toEqual([])
    expect(put(result, board.db.id)!.props).toMatchObject({
      color: 'red',
      fill: 'solid',
      dash: 'dashed',
      geo: 'diamond',
    })
    expect(put(result, board.api.id)!.props).toMatchObject({ geo: 'rhombus' })
  })

  it('recolours a note but says a note has no fill or geo shape', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'restyle', id: board.short(board.note.id), color: 'blue', fill: 'solid' },
    ])
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatch(/note has no fill/)
    expect(put(result, board.note.id)!.props).toMatchObject({ color: 'blue' })
    expect(put(result, board.note.id)!.props).not.toHaveProperty('fill')

    const shapeOnly = edit(board, [
      { op: 'restyle', id: board.short(board.note.id), fill: 'solid', shape: 'ellipse' },
    ])
    expect(shapeOnly.problems).toHaveLength(1)
    expect(shapeOnly.problems[0]).toMatch(/note has no fill, shape ellipse/)
    // Nothing could be changed, so nothing is written.
    expect(shapeOnly.put).toEqual([])
  })

  it('turns a geo shape into a note only by words, not silently', () => {
    const board = sampleBoard()
    const result = edit(board, [{ op: 'restyle', id: board.short(board.api.id), shape: 'note' }])
    expect(result.problems).toHaveLength(1)
    expect(result.put).toEqual([])
  })
})

describe('applyEditOperations: delete', () => {
  it('removes a shape, the arrows bound to it and their bindings', () => {
    const board = sampleBoard()
    const result = edit(board, [{ op: 'delete', id: board.short(board.db.id) }])
    expect(result.problems).toEqual([])
    expect(result.put).toEqual([])
    expect(new Set(result.remove)).toEqual(
      new Set([board.db.id, ...board.apiToDb.map((r) => r.id), ...board.workerToDb.map((r) => r.id)]),
    )
  })

  it('removes a frame with its children and the arrows bound to the children', () => {
    const board = sampleBoard()
    const result = edit(board, [{ op: 'delete', id: board.short(board.frame.id) }])
    expect(result.problems).toEqual([])
    expect(new Set(result.remove)).toEqual(
      new Set([board.frame.id, board.worker.id, ...board.workerToDb.map((r) => r.id)]),
    )
    const records = after(board, result)
    expect(records.has(board.db.id)).toBe(true)
    expect(records.has(board.apiToDb[0].id)).toBe(true)
  })

  it('deleting an arrow takes its bindings and leaves its ends', () => {
    const board = sampleBoard()
    const result = edit(board, [{ op: 'delete', id: board.short(board.apiToDb[0].id) }])
    expect(new Set(result.remove)).toEqual(new Set(board.apiToDb.map((r) => r.id)))
  })
})

describe('applyEditOperations: connect and disconnect', () => {
  it('connects two shapes with an arrow and two bindings to the right shapes', () => {
    const board = sampleBoard()
    const result = edit(board, [
      {
        op: 'connect',
        from: board.short(board.note.id),
        to: board.short(board.worker.id),
        label: 'triggers',
        dash: 'dotted',
        bidirectional: true,
      },
    ])
    expect(result.problems).toEqual([])
    expect(result.put).toHaveLength(3)
    const arrow = result.put.find((record) => record.typeName === 'shape') as TLArrowShape
    expect(arrow.type).toBe('arrow')
    expect(arrow.id).toContain(KEY)
    expect(arrow.meta).toEqual({ jobKey: KEY })
    expect(arrow.parentId).toBe(FIRST_PAGE_ID)
    expect(labelOf(arrow)).toBe('triggers')
    expect(arrow.props).toMatchObject({ dash: 'dotted', arrowheadStart: 'arrow', arrowheadEnd: 'arrow' })
    const bindings = bindingsOf(result.put, arrow.id)
    expect(bindings).toHaveLength(2)
    const start = bindings.find((b) => b.props.terminal === 'start')!
    const end = bindings.find((b) => b.props.terminal === 'end')!
    expect(start.toId).toBe(board.note.id)
    expect(end.toId).toBe(board.worker.id)
    // The arrow runs from the centre of the note to the centre of the worker (in page space).
    expect(arrow.x).toBe(800 + 100)
    expect(arrow.y).toBe(100)
    expect(arrow.x + arrow.props.end.x).toBe(40 + 60)
    expect(arrow.y + arrow.props.end.y).toBe(400 + 60 + 30)
    // It reads back as a connection.
    const described = describeBoard(after(board, result))
    const s = (id: string) => [...described.shortIds].find(([, r]) => r === id)![0]
    expect(described.text).toContain(
      `${s(arrow.id)} arrow ${s(board.note.id)} -> ${s(board.worker.id)} "triggers"`,
    )
  })

  it('gives a second connection between the same shapes its own ids', () => {
    const board = sampleBoard()
    const operation: EditOperation = {
      op: 'connect',
      from: board.short(board.api.id),
      to: board.short(board.note.id),
    }
    const result = edit(board, [operation, operation])
    expect(result.put).toHaveLength(6)
    expect(new Set(result.put.map((record) => record.id)).size).toBe(6)
  })

  it('refuses to connect a shape to itself', () => {
    const board = sampleBoard()
    const s = board.short(board.api.id)
    const result = edit(board, [{ op: 'connect', from: s, to: s }])
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatch(/itself/)
    expect(result.put).toEqual([])
  })

  it('disconnects in either direction', () => {
    for (const reversed of [false, true]) {
      const board = sampleBoard()
      const [a, b] = [board.short(board.api.id), board.short(board.db.id)]
      const result = edit(board, [{ op: 'disconnect', from: reversed ? b : a, to: reversed ? a : b }])
      expect(result.problems).toEqual([])
      expect(result.put).toEqual([])
      expect(new Set(result.remove)).toEqual(new Set(board.apiToDb.map((r) => r.id)))
    }
  })

  it('says when two shapes are not connected', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'disconnect', from: board.short(board.api.id), to: board.short(board.note.id) },
    ])
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toMatch(/not connected/)
    expect(result.put).toEqual([])
    expect(result.remove).toEqual([])
  })
})

describe('applyEditOperations: move', () => {
  it('moves a shape by dx, dy in its parent', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'move', id: board.short(board.api.id), dx: 30, dy: -20 },
      { op: 'move', id: board.short(board.worker.id), dx: 5, dy: 5 },
    ])
    expect(result.problems).toEqual([])
    expect(put(result, board.api.id)).toMatchObject({ x: 30, y: -20 })
    expect(put(result, board.worker.id)).toMatchObject({ x: 45, y: 65, parentId: board.frame.id })
  })
})

describe('applyEditOperations: problems', () => {
  it('names unknown ids and changes nothing', () => {
    const board = sampleBoard()
    const operations: EditOperation[] = [
      { op: 'update', id: 's99', label: 'x' },
      { op: 'restyle', id: 'nope', color: 'red' },
      { op: 'delete', id: 'shape:gone' },
      { op: 'connect', from: board.short(board.api.id), to: 's99' },
      { op: 'connect', from: 's98', to: board.short(board.api.id) },
      { op: 'disconnect', from: 's99', to: board.short(board.db.id) },
      { op: 'move', id: 'ghost', dx: 1, dy: 1 },
      { op: 'add', node: { id: 'new', label: 'New' }, near: 's97' },
    ]
    const result = edit(board, operations)
    expect(result.put).toEqual([])
    expect(result.remove).toEqual([])
    expect(result.problems).toHaveLength(operations.length)
    result.problems.forEach((problem, i) => {
      expect(problem).toMatch(new RegExp(`^operation ${i + 1} \\(${operations[i]!.op}\\)`))
    })
    expect(result.problems[0]).toContain('"s99"')
    expect(result.problems[2]).toContain('"shape:gone"')
  })

  it('does not touch shapes on another page through their short ids or the ids of other pages', () => {
    const board = sampleBoard()
    const result = edit(board, [{ op: 'update', id: 'page:page', label: 'x' }])
    expect(result.problems).toHaveLength(1)
    expect(result.put).toEqual([])
  })

  it('keeps going after a problem: the valid operations of a batch still apply', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'update', id: 's99', label: 'x' },
      { op: 'restyle', id: board.short(board.db.id), color: 'red' },
    ])
    expect(result.problems).toHaveLength(1)
    expect(result.put.map((record) => record.id)).toEqual([board.db.id])
  })
})

describe('applyEditOperations: batches', () => {
  it('"add a cache between API and DB": later operations see the node added earlier', () => {
    const board = sampleBoard()
    const [api, db] = [board.short(board.api.id), board.short(board.db.id)]
    const result = edit(board, [
      { op: 'add', node: { id: 'cache', label: 'Cache', shape: 'hexagon' }, near: api },
      { op: 'disconnect', from: api, to: db },
      { op: 'connect', from: api, to: 'cache' },
      { op: 'connect', from: 'cache', to: db, label: 'misses' },
      { op: 'restyle', id: 'cache', color: 'orange' },
    ])
    expect(result.problems).toEqual([])
    expect(new Set(result.remove)).toEqual(new Set(board.apiToDb.map((r) => r.id)))
    const cache = result.put.find((record) => record.typeName === 'shape' && record.type === 'geo') as TLShape
    expect(cache.props).toMatchObject({ geo: 'hexagon', color: 'orange' })
    const arrows = result.put.filter((record) => record.typeName === 'shape' && record.type === 'arrow')
    expect(arrows).toHaveLength(2)
    const ends = arrows.map((arrow) => {
      const bindings = bindingsOf(result.put, arrow.id)
      return `${bindings.find((b) => b.props.terminal === 'start')!.toId} -> ${bindings.find((b) => b.props.terminal === 'end')!.toId}`
    })
    expect(ends).toEqual([`${board.api.id} -> ${cache.id}`, `${cache.id} -> ${board.db.id}`])
    for (const record of result.put) expect(record.id).toContain(KEY)
    // Every arrow's bindings point at shapes that exist after the edit.
    const records = after(board, result)
    for (const record of records.values()) {
      if (record.typeName !== 'binding') continue
      expect(records.has(record.fromId), record.id).toBe(true)
      expect(records.has((record as TLArrowBinding).toId), record.id).toBe(true)
    }
  })

  it('a node added and deleted in the same batch leaves nothing behind', () => {
    const board = sampleBoard()
    const result = edit(board, [
      { op: 'add', node: { id: 'tmp', label: 'Temporary' } },
      { op: 'connect', from: 'tmp', to: board.short(board.api.id) },
      { op: 'delete', id: 'tmp' },
    ])
    expect(result.problems).toEqual([])
    expect(result.put).toEqual([])
    expect(result.remove).toEqual([])
  })

  it('every record it puts is valid, over a seeded random mix of operations', () => {
    const random = seededRandom(3)
    const kinds = ['add', 'update', 'restyle', 'delete', 'connect', 'disconnect', 'move'] as const
    const colors = ['red', 'blue', 'green'] as const
    for (let run = 0; run < 40; run++) {
      const board = sampleBoard()
      const ids = [...board.shortIds.keys(), 'a0', 'a1', 'a2', 's99']
      const pick = () => ids[Math.floor(random() * ids.length)]!
      const operations: EditOperation[] = Array.from({ length: 8 }, (_, k): EditOperation => {
        switch (kinds[Math.floor(random() * kinds.length)]) {
          case 'add':
            return {
              op: 'add',
              node: { id: `a${k % 3}`, label: `Added ${k}`, shape: random() < 0.3 ? 'note' : 'rectangle' },
              near: pick(),
            }
          case 'update':
            return { op: 'update', id: pick(), label: `Label ${k}` }
          case 'restyle':
            return { op: 'restyle', id: pick(), color: colors[k % 3], fill: 'semi', shape: 'cloud' }
          case 'delete':
            return { op: 'delete', id: pick() }
          case 'connect':
            return { op: 'connect', from: pick(), to: pick(), label: 'x' }
          case 'disconnect':
            return { op: 'disconnect', from: pick(), to: pick() }
          default:
            return { op: 'move', id: pick(), dx: 10, dy: -10 }
        }
      })
      const result = edit(board, operations)
      // No binding is left pointing at a removed shape.
      const records = after(board, result)
      for (const record of records.values()) {
        if (record.typeName !== 'binding') continue
        expect(records.has(record.fromId), `run ${run}`).toBe(true)
        expect(records.has((record as TLArrowBinding).toId), `run ${run}`).toBe(true)
      }
    }
  })
})

describe('applyEditOperations: the page limit', () => {
  /** The sample board with its first page filled up to `total` shapes by a grid of small boxes. */
  function boardWith(total: number): Board {
    const board = sampleBoard()
    const missing = total - shapesOnPage(board.records, FIRST_PAGE_ID)
    const indices = getIndices(missing).slice(1) // getIndices(n) gives n + 1 keys
    const fillers = indices.map((index, i) =>
      buildGeoShape({ x: 2000 + (i % 100) * 30, y: (Math.floor(i / 100) % 100) * 30, w: 20, h: 20, index }),
    )
    return { ...board, records: [...board.records, ...fillers] }
  }
  const add = (id: string): EditOperation => ({ op: 'add', node: { id, label: id } })

  it('refuses, whole and in the words of every writer, an edit that grows a full page', () => {
    const board = boardWith(MAX_SHAPES_PER_PAGE - 1)
    const operations: EditOperation[] = [
      { op: 'restyle', id: board.short(board.db.id), color: 'red' },
      add('one'),
      { op: 'connect', from: board.short(board.api.id), to: board.short(board.note.id) },
    ]
    const refuse = () =>
      applyEditOperations(board.records, operations, {
        shortIds: board.shortIds,
        keyPrefix: KEY,
        pageId: FIRST_PAGE_ID,
      })
    expect(refuse).toThrow(ShapeLimitError)
    expect(refuse).toThrow(shapeLimitWords(MAX_SHAPES_PER_PAGE - 1, 2))
  })

  it('lets an edit fill the page to the limit, and one that adds no more than it deletes past it', () => {
    const board = boardWith(MAX_SHAPES_PER_PAGE - 1)
    expect(edit(board, [add('last')]).put).toHaveLength(1)
    const full = boardWith(MAX_SHAPES_PER_PAGE)
    const swapped = edit(full, [{ op: 'delete', id: full.short(full.text.id) }, add('instead')])
    expect(swapped.remove).toEqual([full.text.id])
    expect(swapped.put).toHaveLength(1)
  })
})
