/**
 * A large board bound with a first view, in Node with tldraw's real store: the store starts with
 * the view's records only and gets the rest batch by batch, without one byte written back to the
 * doc; edits from others made meanwhile — to loaded records, to waiting ones, new ones — all show,
 * and the person's own edits during the load are kept.
 */
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  encodeSeededRoom,
  FIRST_PAGE_ID,
  getIndices,
  openRecords,
  readRecords,
  type TLRecord,
  type TLShapeId,
} from '@drawbridge/shared'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type TLStore } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BATCH_SHAPES } from './progressiveLoad'
import { bindStoreToDoc, type DocBinding } from './storeBinding'

const COLUMNS = 50
const SHAPES = 1_500
const indices = getIndices(SHAPES + 20)
const gridId = (i: number) => `shape:grid-${i}` as TLShapeId
const VIEW = { pageId: FIRST_PAGE_ID, box: { x: 0, y: 0, w: 1000, h: 600 } }

function largeDoc(): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encodeSeededRoom('Large'))
  const records = openRecords(doc)
  doc.transact(() => {
    for (let i = 0; i < SHAPES; i++) {
      const x = (i % COLUMNS) * 160
      const y = Math.floor(i / COLUMNS) * 110
      records.set(
        gridId(i),
        buildGeoShape({ id: gridId(i), x, y, w: 140, h: 80, text: `${i}`, index: indices[i]! }),
      )
    }
  })
  return doc
}

const shapesIn = (store: TLStore) => store.allRecords().filter((record) => record.typeName === 'shape').length

function open(doc: Y.Doc): { store: TLStore; binding: DocBinding; writes: () => number } {
  let writes = 0
  doc.on('update', () => writes++)
  const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  const binding = bindStoreToDoc(store, doc, { canWrite: true, firstView: () => VIEW })
  return { store, binding, writes: () => writes }
}

/** A frame the test can advance by hand: each call lets one batch in. */
function frames() {
  const waiting: Array<() => void> = []
  return {
    nextFrame: () => new Promise<void>((resolve) => waiting.push(resolve)),
    async advance() {
      waiting.shift()?.()
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
  }
}

/** A peer editing the same room: its transactions reach `doc` as remote ones. */
function peerEdit(doc: Y.Doc, edit: (records: ReturnType<typeof openRecords>) => void): void {
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(peer)
  peer.transact(() => edit(openRecords(peer)))
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, before), 'peer')
}

describe('progressive load', () => {
  it('puts the first view as the load starts, the rest frame by frame after it, and writes nothing to the doc', async () => {
    const doc = largeDoc()
    const { store, binding, writes } = open(doc)
    // Before the editor exists: the document and its page, no shapes yet.
    expect(store.has('document:document' as never)).toBe(true)
    expect(store.has('page:page' as never)).toBe(true)
    expect(shapesIn(store)).toBe(0)

    // The editor mounted: the first view's shapes go in at once, before any frame.
    const clock = frames()
    const done = binding.loadRest(clock.nextFrame)
    expect(store.has(gridId(0))).toBe(true) // on screen
    expect(store.has(gridId(SHAPES - 1))).toBe(false) // the far corner
    const first = shapesIn(store)
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThanOrEqual(400)
    expect(binding.waiting()).toBe(SHAPES - first)

    await clock.advance()
    expect(shapesIn(store)).toBeGreaterThan(first)
    expect(shapesIn(store) - first).toBeLessThanOrEqual(BATCH_SHAPES + 1)
    while (binding.waiting() > 0) await clock.advance()
    await done
    expect(shapesIn(store)).toBe(SHAPES)
    expect(writes()).toBe(0)
  })

  it("shows others' edits made during the load: to waiting records, new ones, deletions", async () => {
    const doc = largeDoc()
    const { store, binding, writes } = open(doc)
    const far = gridId(SHAPES - 1)
    const gone = gridId(SHAPES - 2)
    const frame = buildFrameShape({
      id: 'shape:frame' as TLShapeId,
      x: 9000,
      y: 9000,
      w: 400,
      h: 300,
      name: 'F',
      index: indices[SHAPES]!,
    })
    const child = buildGeoShape({
      id: 'shape:child' as TLShapeId,
      x: 10,
      y: 10,
      w: 50,
      h: 50,
      parentId: frame.id,
      index: indices[SHAPES + 1]!,
    })
    const [arrow, start, end] = buildBoundArrow({
      from: { id: gridId(0), x: 70, y: 40 },
      to: { id: gridId(SHAPES - 3), x: 7900, y: 3300 },
      index: indices[SHAPES + 2]!,
    })
    peerEdit(doc, (records) => {
      const moved = records.get(far) as TLRecord
      records.set(far, { ...moved, x: 5 } as TLRecord)
      records.delete(gone)
      records.set(arrow.id, arrow)
      records.set(start.id, start)
      records.set(end.id, end)
    })
    // The waiting shape shows at once where the peer moved it; the deleted one never comes.
    expect(store.get(far)).toMatchObject({ x: 5 })
    // The new arrow came bound, with the far shape at its end pulled in before its binding.
    expect(store.get(end.id)).toMatchObject({ toId: gridId(SHAPES - 3) })
    expect(store.has(gridId(SHAPES - 3))).toBe(true)

    // A shape moved into a frame that is not loaded yet brings the frame and its children along.
    peerEdit(doc, (records) => {
      records.set(frame.id, frame)
      records.set(child.id, child)
    })
    expect(store.get(child.id)).toMatchObject({ parentId: frame.id })
    peerEdit(doc, (records) =>
      records.set(gridId(1), { ...(records.get(gridId(1)) as TLRecord), parentId: frame.id } as TLRecord),
    )
    expect(store.get(gridId(1))).toMatchObject({ parentId: frame.id })
    expect(store.has(frame.id)).toBe(true)

    await binding.loadRest(() => Promise.resolve())
    expect(store.has(gone)).toBe(false)
    expect(store.get(far)).toMatchObject({ x: 5 })
    expect(shapesIn(store)).toBe(SHAPES - 1 + 3)
    expect(writes()).toBe(3) // the peer's three edits, nothing from the load
  })

  it("keeps the person's own edits made during the load", async () => {
    const doc = largeDoc()
    const { store, binding } = open(doc)
    // The editor mounted (the first view is in); its next frame has not come yet.
    void binding.loadRest(() => new Promise(() => {}))
    store.update(gridId(0), (record) => ({ ...record, x: 777 }))
    store.remove([gridId(1)])
    binding.loadAll()
    expect(binding.waiting()).toBe(0)
    expect(store.get(gridId(0))).toMatchObject({ x: 777 })
    expect(store.has(gridId(1))).toBe(false)
    const inDoc = readRecords(doc)
    expect(inDoc.get(gridId(0))).toMatchObject({ x: 777 })
    expect(inDoc.has(gridId(1))).toBe(false)
    expect(shapesIn(store)).toBe(SHAPES - 1)
  })
})
