/**
 * The store ↔ doc binding over a board that already holds entries nobody can read (null, numbers,
 * nested types, records that fail validation — what an older server let in): the board opens with
 * every good record, and such entries arriving later are skipped, never thrown on.
 */
import { buildGeoShape, encodeSeededRoom, getIndices } from '@drawbridge/shared'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type TLShapeId } from 'tldraw'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToDoc } from './storeBinding'

const shape = (x: number) =>
  buildGeoShape({ x, y: 0, w: 100, h: 50, text: `at ${x}`, index: getIndices(1)[0]! })

describe('bindStoreToDoc over unreadable entries', () => {
  it('opens the board with its good records and skips bad ones, then and later', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const doc = new Y.Doc()
    Y.applyUpdate(doc, encodeSeededRoom('Test'))
    const good = shape(10)
    const records = doc.getArray<unknown>('records')
    records.push([null, 42, new Y.Map(), { key: 'shape:broken', val: { typeName: 'shape' } }])
    records.push([{ key: good.id, val: good }])

    const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    bindStoreToDoc(store, doc, { canWrite: true })
    expect(store.get(good.id)).toBeDefined()
    expect(store.get('page:page' as never)).toBeDefined()
    expect(store.get('shape:broken' as TLShapeId)).toBeUndefined()

    const later = shape(20)
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(peer)
    peer.getArray('records').push([null, { key: later.id, val: later }, 7])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before))
    expect(store.get(later.id)).toBeDefined()
    warn.mockRestore()
  })
})
