import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffRecords, openRecords, writeRecords } from './doc'
import { readRecords } from './readDocument'
import { buildBoundArrow, buildGeoShape, buildNoteShape, buildTextShape, FIRST_PAGE_ID } from './records'
import { validateDocumentRecord } from './schema'
import { compareSchema, currentSchema, readDocSchema } from './schemaVersion'
import { encodeSeededRoom } from './seed'

describe('record builders', () => {
  const [i1, i2, i3] = getIndices(3)
  it('build shapes and a bound arrow that pass tldraw validation', () => {
    const a = buildGeoShape({ x: 0, y: 0, w: 120, h: 60, text: 'Start', index: i1! })
    const b = buildGeoShape({ x: 300, y: 0, w: 120, h: 60, geo: 'ellipse', text: 'End', index: i2! })
    const [arrow, start, end] = buildBoundArrow({
      from: { id: a.id, x: 120, y: 30 },
      to: { id: b.id, x: 300, y: 30 },
      index: i3!,
    })
    for (const record of [a, b, arrow, start, end]) expect(validateDocumentRecord(record).ok).toBe(true)
    expect(start.toId).toBe(a.id)
    expect(end.toId).toBe(b.id)
    expect(arrow.index > a.index && arrow.index > b.index).toBe(true)
    expect(buildTextShape({ x: 0, y: 0, text: 'hi', index: i1! }).props.autoSize).toBe(true)
    expect(buildNoteShape({ x: 0, y: 0, text: 'n', index: i1! }).parentId).toBe(FIRST_PAGE_ID)
  })

  it('refuse an invalid record with the path of the bad field', () => {
    const shape = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, index: i1! })
    const bad = { ...shape, props: { ...shape.props, flipX: 'yes' } }
    const result = validateDocumentRecord(bad)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toMatch(/flipX/)
    expect(validateDocumentRecord({ ...shape, typeName: 'user' }).ok).toBe(false)
    expect(validateDocumentRecord('nope').ok).toBe(false)
  })
})

describe('seeded room', () => {
  it('holds the document, the first page and the current schema', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeSeededRoom('Plans'))
    const records = readRecords(doc)
    expect([...records.keys()].sort()).toEqual(['document:document', FIRST_PAGE_ID])
    expect(openRecords(doc).get('document:document')?.typeName).toBe('document')
    expect(compareSchema(readDocSchema(doc))).toBe('same')
  })
})

describe('compareSchema', () => {
  it('tells older, newer and unknown schemas apart', () => {
    const ours = currentSchema()
    if (ours.schemaVersion !== 2) throw new Error('expected schema v2')
    const [firstSequence] = Object.keys(ours.sequences)
    const older = { ...ours, sequences: { ...ours.sequences, [firstSequence!]: 0 } }
    const newer = { ...ours, sequences: { ...ours.sequences, 'com.example.future': 1 } }
    expect(compareSchema(older)).toBe('older')
    expect(compareSchema(newer)).toBe('newer')
    expect(compareSchema(undefined)).toBe('unknown')
  })
})

describe('writeRecords and diffRecords', () => {
  it('turn one set of records into another without a YKeyValue', () => {
    const [i1, i2] = getIndices(2)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeSeededRoom('t'))
    const a = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, index: i1! })
    const b = buildGeoShape({ x: 50, y: 0, w: 10, h: 10, index: i2! })
    writeRecords(doc, { put: [a, b], remove: [] })
    const target = readRecords(doc)
    const moved = { ...a, x: 99 }
    writeRecords(doc, { put: [moved], remove: [b.id] })
    expect(readRecords(doc).get(a.id)).toEqual(moved)
    expect(readRecords(doc).has(b.id)).toBe(false)

    const changes = diffRecords(readRecords(doc), target)
    expect(changes.remove).toEqual([])
    expect(changes.put.map((r) => r.id).sort()).toEqual([a.id, b.id].sort())
    writeRecords(doc, changes)
    expect(Object.fromEntries(readRecords(doc))).toEqual(Object.fromEntries(target))
    // One entry per key: YKeyValue on the same doc agrees.
    expect(doc.getArray('records').length).toBe(target.size)
  })
})
