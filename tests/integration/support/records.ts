/** Board content for tests, built with the shared record builders (valid tldraw records). */
import { buildGeoShape, getIndices, openRecords, readRecords, type TLRecord } from '@drawbridge/shared'
import type * as Y from 'yjs'

/** Adds `count` labelled rectangles to the doc in one transaction; returns their ids. */
export function addRectangles(doc: Y.Doc, count: number, label = 'box'): string[] {
  const records = openRecords(doc)
  const indices = getIndices(count)
  const ids: string[] = []
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const shape = buildGeoShape({
        x: i * 10,
        y: i * 5,
        w: 100,
        h: 50,
        text: `${label} ${i}`,
        index: indices[i]!,
      })
      records.set(shape.id, shape)
      ids.push(shape.id)
    }
  })
  return ids
}

/** The doc's records as a plain object sorted by id, for record-by-record comparison. */
export function recordsOf(doc: Y.Doc): Record<string, TLRecord> {
  return Object.fromEntries([...readRecords(doc).entries()].sort(([a], [b]) => a.localeCompare(b)))
}
