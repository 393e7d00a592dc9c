/**
 * The update-size estimate against the real thing: the update one transaction of record writes
 * produces is never larger than the estimate, and not much smaller.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openRecords } from '../document/doc'
import { buildGeoShape } from '../document/records'
import { encodeSeededRoom } from '../document/seed'
import { getIndices } from '../index'
import { encodedValueBytes, estimateUpdateBytes } from './updateSize'

function seededDoc(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeSeededRoom('Size'))
  return doc
}

/** The update a transaction of writes and deletions produces, and its estimate. */
function measure(doc: Y.Doc, writes: { key: string; val: unknown }[], deletes: string[] = []) {
  const records = openRecords(doc)
  let actual = 0
  const onUpdate = (update: Uint8Array) => {
    actual += update.byteLength
  }
  doc.on('update', onUpdate)
  doc.transact(() => {
    for (const { key, val } of writes) records.set(key, val as never)
    for (const key of deletes) records.delete(key)
  })
  doc.off('update', onUpdate)
  return { actual, estimate: estimateUpdateBytes(writes, deletes.length) }
}

const shape = (x: number, text: string) =>
  buildGeoShape({ x, y: 0.5, w: 100, h: 50, text, index: getIndices(1)[0]! })

describe('estimateUpdateBytes', () => {
  it('bounds small, large, multilingual and replacing writes from above, closely', () => {
    const doc = seededDoc()
    const cases = [
      [shape(1, 'a')],
      [shape(2, 'x'.repeat(200_000))],
      [shape(3, 'Zürich — 東京 — 🚀'.repeat(5_000))],
      Array.from({ length: 300 }, (_, i) => shape(i + 0.25, `box ${i}`)),
    ]
    for (const shapes of cases) {
      const writes = shapes.map((record) => ({ key: record.id, val: record }))
      const first = measure(doc, writes)
      expect(first.estimate).toBeGreaterThanOrEqual(first.actual)
      expect(first.estimate - first.actual).toBeLessThan(300 + 40 * writes.length)
      // Writing the same keys again also deletes the entries they replace.
      const again = measure(
        doc,
        writes.map(({ key, val }) => ({ key, val: { ...(val as object), x: 7.125 } })),
      )
      expect(again.estimate).toBeGreaterThanOrEqual(again.actual)
    }
    const deleted = measure(doc, [], [shape(1, 'a').id])
    expect(deleted.estimate).toBeGreaterThanOrEqual(deleted.actual)
  })

  it('sizes values as lib0 encodes them', () => {
    expect(encodedValueBytes('abc')).toBe(5)
    expect(encodedValueBytes('é')).toBe(4)
    expect(encodedValueBytes(null)).toBe(1)
    expect(encodedValueBytes(true)).toBe(1)
    expect(encodedValueBytes([1, 'a', 64, 0.5, 0.1])).toBe(1 + 1 + 2 + 3 + 3 + 5 + 9)
    expect(encodedValueBytes({ a: undefined })).toBe(1 + 1 + 2 + 1)
  })
})
