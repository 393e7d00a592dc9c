/**
 * The store ↔ doc binding in Node with tldraw's real store: two bound stores converge through Yjs
 * updates without echoes, bad records are skipped, personal records stay out of the doc, newer
 * docs are not written to, older ones are migrated, a change over the server's update limit is
 * taken back before it reaches the doc.
 */
import {
  buildGeoShape,
  currentSchema,
  encodeSeededRoom,
  getIndices,
  openMeta,
  openRecords,
  readRecords,
} from '@drawbridge/shared'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type TLShapeId, type TLStore } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStoreToDoc } from './storeBinding'

const newStore = (): TLStore =>
  createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })

function seededDoc(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeSeededRoom('Test'))
  return doc
}

/** Connects two docs like a server would: every update of one is applied to the other. */
function link(a: Y.Doc, b: Y.Doc): { updates: number } {
  const counter = { updates: 0 }
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === b) return
    counter.updates++
    Y.applyUpdate(b, update, a)
  })
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === a) return
    counter.updates++
    Y.applyUpdate(a, update, b)
  })
  return counter
}

const shape = (x: number, text = `at ${x}`) =>
  buildGeoShape({ x, y: 0, w: 100, h: 50, text, index: getIndices(1)[0]! })

describe('bindStoreToDoc', () => {
  it('loads the doc, then carries each side’s own edits to the other without echoes', () => {
    const docA = seededDoc()
    const docB = new Y.Doc()
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA))
    const traffic = link(docA, docB)
    const storeA = newStore()
    const storeB = newStore()
    bindStoreToDoc(storeA, docA, { canWrite: true })
    bindStoreToDoc(storeB, docB, { canWrite: true })
    expect(storeA.get('page:page' as never)).toBeDefined()

    const created = shape(10)
    storeA.put([created])
    expect(storeB.get(created.id)).toMatchObject({ x: 10 })
    const afterCreate = traffic.updates
    expect(afterCreate).toBe(1) // one transaction, and no echo back

    storeB.update(created.id, (record) => ({ ...record, x: 99 }))
    expect(storeA.get(created.id)).toMatchObject({ x: 99 })
    storeA.remove([created.id])
    expect(storeB.has(created.id)).toBe(false)
    expect(traffic.updates).toBe(afterCreate + 2)
  })

  it('keeps personal and session records out of the doc', () => {
    const doc = seededDoc()
    const store = newStore()
    bindStoreToDoc(store, doc, { canWrite: true })
    store.put([
      {
        id: 'user:someone',
        typeName: 'user',
        name: 'Someone',
        color: '#ff0000',
        imageUrl: '',
        meta: {},
      } as never,
    ])
    store.put([shape(5)])
    const types = [...readRecords(doc).values()].map((record) => record.typeName)
    expect(types).not.toContain('user')
    expect(types.filter((type) => type === 'shape')).toHaveLength(1)
  })

  it('skips an invalid record from a bad peer and applies the rest of its batch', () => {
    const doc = seededDoc()
    const store = newStore()
    bindStoreToDoc(store, doc, { canWrite: true })
    const good = shape(1)
    const bad = { ...shape(2), props: { ...shape(2).props, flipX: 'sideways' } }
    doc.transact(() => {
      openRecords(doc).set(good.id, good)
      openRecords(doc).set(bad.id, bad as never)
    }, 'bad peer')
    expect(store.has(good.id)).toBe(true)
    expect(store.has(bad.id as TLShapeId)).toBe(false)
  })

  it('does not write into a doc saved by a newer schema', () => {
    const doc = seededDoc()
    const schema = currentSchema()
    openMeta(doc).set('schema', {
      ...schema,
      sequences: { ...('sequences' in schema ? schema.sequences : {}), 'com.example.future': 1 },
    })
    const store = newStore()
    const binding = bindStoreToDoc(store, doc, { canWrite: true })
    expect(binding.schema).toBe('newer')
    store.put([shape(3)])
    expect([...readRecords(doc).values()].some((record) => record.typeName === 'shape')).toBe(false)
  })

  it('migrates records of an older doc and writes them back with the current schema', () => {
    const doc = seededDoc()
    const schema = currentSchema()
    if (!('sequences' in schema)) throw new Error('expected a v2 schema')
    const old = shape(4)
    // A geo shape from before flipX/flipY existed: geo props version 11 (AddRichTextAttrs).
    const { flipX: _flipX, flipY: _flipY, ...oldProps } = old.props
    openRecords(doc).set(old.id, { ...old, props: oldProps } as never)
    openMeta(doc).set('schema', { ...schema, sequences: { ...schema.sequences, 'com.tldraw.shape.geo': 11 } })
    const store = newStore()
    const binding = bindStoreToDoc(store, doc, { canWrite: true })
    expect(binding.schema).toBe('older')
    expect(store.get(old.id)).toMatchObject({ props: { flipX: false, flipY: false } })
    expect((readRecords(doc).get(old.id) as typeof old).props.flipX).toBe(false)
    expect(openMeta(doc).get('schema')).toEqual(schema)
  })

  it('takes back a change whose update would be over the limit, says why, and keeps syncing', () => {
    const limit = 64 * 1024
    const docA = seededDoc()
    const docB = new Y.Doc()
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA))
    const updates: number[] = []
    docA.on('update', (update: Uint8Array) => updates.push(update.byteLength))
    link(docA, docB)
    const storeA = newStore()
    const storeB = newStore()
    const refused: string[] = []
    bindStoreToDoc(storeA, docA, {
      canWrite: true,
      maxUpdateBytes: limit,
      onRefused: (message) => refused.push(message),
    })
    bindStoreToDoc(storeB, docB, { canWrite: true })

    // A new shape with a label far over the limit: refused, never in either doc or store.
    const huge = shape(1, 'x'.repeat(2 * limit))
    storeA.put([huge])
    expect(storeA.has(huge.id)).toBe(false)
    expect(readRecords(docA).has(huge.id)).toBe(false)
    expect(storeB.has(huge.id)).toBe(false)
    expect(refused).toEqual(['A change was too large to save on this board, so it was not saved.'])
    expect(updates).toEqual([])

    // An edit that makes an existing shape too large goes back to what it was.
    const small = shape(2, 'small')
    storeA.put([small])
    expect(storeB.get(small.id)).toMatchObject({ x: 2 })
    storeA.put([shape(2, 'y'.repeat(2 * limit))])
    expect(storeA.get(small.id)).toEqual(small)
    expect(storeB.get(small.id)).toEqual(small)
    expect(refused).toHaveLength(2)

    // What follows syncs as usual, and every update sent stayed under the limit.
    storeA.update(small.id, (record) => ({ ...record, x: 77 }))
    expect(storeB.get(small.id)).toMatchObject({ x: 77 })
    expect(updates.length).toBeGreaterThan(0)
    expect(Math.max(...updates)).toBeLessThan(limit)
  })
})
