import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createMetrics } from '../metrics'
import type { DocumentLog, StoredDocument } from '../storage/storage'
import { unpackUpdates } from '../storage/updateBatch'
import { buildDocument } from './documentLoader'
import { DocumentWriter, readDoc } from './documentWriter'

/** A stored row: one update, or several packed (`updateBatch.ts`). */
type Row = { update: Uint8Array; updateCount: number }
const rowOf = (update: Uint8Array): Row => ({ update, updateCount: 1 })

/** An in-memory document log whose first `failures` appends throw, like a database that blips. */
function flakyStorage(failures: number) {
  const rows: Row[] = []
  let remainingFailures = failures
  let attempts = 0
  const storage: Pick<DocumentLog, 'append' | 'compact' | 'stats'> = {
    async append(_roomId, update, updateCount) {
      attempts++
      if (remainingFailures-- > 0) throw new Error('connection reset')
      rows.push({ update, updateCount })
    },
    async compact(_roomId, fold) {
      const { state } = fold({
        snapshot: null,
        updates: rows.map((row, id) => ({ id, ...row })),
      } satisfies StoredDocument)
      rows.splice(0, rows.length, rowOf(state))
      return true
    },
    async stats() {
      return { count: rows.length, bytes: rows.reduce((sum, row) => sum + row.update.byteLength, 0) }
    },
  }
  return { storage: storage as DocumentLog, rows, attempts: () => attempts }
}

/** The doc the server would load from `rows`; a row it cannot read fails the test. */
function docFromRows(rows: Row[]): Y.Doc {
  const { doc, corrupt } = buildDocument({ snapshot: null, updates: rows.map((row, id) => ({ id, ...row })) })
  expect(corrupt).toEqual([])
  return doc
}

const silent = pino({ level: 'silent' })

/** A writer over `doc` whose window never fires by itself (the test flushes), on an empty log. */
function slowWriterOver(storage: DocumentLog, doc: Y.Doc): DocumentWriter {
  const options = { windowMs: 10_000, compactAfterUpdates: 1000, compactAfterBytes: 1e9 }
  return new DocumentWriter(
    'room',
    storage,
    options,
    createMetrics(),
    silent,
    { count: 0, bytes: 0 },
    readDoc(doc),
  )
}

describe('DocumentWriter', () => {
  it('coalesces a burst into one row', async () => {
    const { storage, rows } = flakyStorage(0)
    const writer = new DocumentWriter(
      'room',
      storage,
      { windowMs: 20, compactAfterUpdates: 1000, compactAfterBytes: 1e9 },
      createMetrics(),
      silent,
      { count: 0, bytes: 0 },
    )
    const source = new Y.Doc()
    source.on('update', (update: Uint8Array) => writer.enqueue(update))
    for (let i = 0; i < 100; i++) source.getMap('m').set(`k${i}`, i)
    await writer.flush()
    expect(rows).toHaveLength(1)
    expect(docFromRows(rows).getMap('m').toJSON()).toEqual(source.getMap('m').toJSON())
  })

  it('retries a failed write until it lands, losing nothing', async () => {
    const { storage, rows, attempts } = flakyStorage(2)
    const writer = new DocumentWriter(
      'room',
      storage,
      { windowMs: 0, compactAfterUpdates: 1000, compactAfterBytes: 1e9 },
      createMetrics(),
      silent,
      { count: 0, bytes: 0 },
    )
    const source = new Y.Doc()
    source.on('update', (update: Uint8Array) => writer.enqueue(update))
    source.getMap('m').set('a', 1)
    await writer.flush()
    source.getMap('m').set('b', 2)
    await writer.flush()
    expect(attempts()).toBe(4)
    expect(docFromRows(rows).getMap('m').toJSON()).toEqual({ a: 1, b: 2 })
    expect(writer.bufferedBytes).toBe(0)
  })

  it('compacts past the row threshold without changing the content', async () => {
    const { storage, rows } = flakyStorage(0)
    const writer = new DocumentWriter(
      'room',
      storage,
      { windowMs: 0, compactAfterUpdates: 5, compactAfterBytes: 1e9 },
      createMetrics(),
      silent,
      { count: 0, bytes: 0 },
    )
    const source = new Y.Doc()
    source.on('update', (update: Uint8Array) => writer.enqueue(update))
    for (let i = 0; i < 12; i++) {
      source.getMap('m').set('k', i)
      await writer.flush()
    }
    await writer.settle()
    expect(rows.length).toBeLessThan(5)
    expect(docFromRows(rows).getMap('m').get('k')).toBe(11)
  })

  it('encodes large batches from the doc without losing an update, through failures and small batches', async () => {
    // The room as loaded: its stored rows are already in the doc.
    const loaded = new Y.Doc()
    for (let i = 0; i < 10; i++) loaded.getMap('m').set(`old${i}`, i)
    const { storage, rows } = flakyStorage(0)
    rows.push(rowOf(Y.encodeStateAsUpdate(loaded)))
    let failuresLeft = 0
    const append = storage.append.bind(storage)
    storage.append = async (roomId, update, updateCount) => {
      if (failuresLeft-- > 0) throw new Error('connection reset')
      await append(roomId, update, updateCount)
    }
    const writer = new DocumentWriter(
      'room',
      storage,
      { windowMs: 10_000, compactAfterUpdates: 1000, compactAfterBytes: 1e9 },
      createMetrics(),
      silent,
      { count: 1, bytes: rows[0]!.update.byteLength },
      readDoc(loaded),
    )
    const remote = { remote: true }
    loaded.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== remote) writer.enqueue(update)
    })
    const map = loaded.getMap('m')
    // A large batch of moves and deletes, a small one (merged, but big enough that the doc's state
    // vector is taken at its cut), then a large one cut while the database fails.
    for (let i = 0; i < 200; i++) map.set('moving', i)
    for (let i = 0; i < 5; i++) map.delete(`old${i}`)
    const first = writer.flush()
    for (let i = 0; i < 12; i++) map.set(`small${i}`, i)
    const second = writer.flush()
    failuresLeft = 2
    for (let i = 0; i < 120; i++) map.set(`late${i % 7}`, i)
    // A change relayed from another instance (not enqueued) lands in the same window.
    const other = new Y.Doc()
    other.getMap('m').set('fromOtherInstance', true)
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(other), remote)
    const third = writer.flush()
    // Enqueued after the cut: must land in the next row, not be lost between the two.
    map.set('afterCut', 1)
    await Promise.all([first, second, third, writer.flush()])
    expect(rows).toHaveLength(5)
    const restored = docFromRows(rows)
    expect(restored.getMap('m').toJSON()).toEqual(map.toJSON())
    expect(restored.getMap('m').get('afterCut')).toBe(1)
    expect(writer.bufferedBytes).toBe(0)
  })

  it('stores a small batch as its updates came, in one row, without merging them', async () => {
    const doc = new Y.Doc()
    const { storage, rows } = flakyStorage(0)
    const writer = slowWriterOver(storage, doc)
    const sent: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => {
      sent.push(update)
      writer.enqueue(update)
    })
    for (let i = 0; i < 3; i++) doc.getMap('m').set(`k${i}`, i)
    await writer.flush()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.updateCount).toBe(3)
    expect(unpackUpdates(rows[0]!.update, 3)).toEqual(sent)
    expect(docFromRows(rows).getMap('m').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2 })
  })

  it('packs a large batch cut after a tiny one (no state vector taken), losing nothing', async () => {
    const doc = new Y.Doc()
    const { storage, rows } = flakyStorage(0)
    const writer = slowWriterOver(storage, doc)
    doc.on('update', (update: Uint8Array) => writer.enqueue(update))
    const map = doc.getMap('m')
    map.set('tiny', 1)
    const first = writer.flush()
    for (let i = 0; i < 80; i++) map.set(`k${i % 9}`, i)
    await Promise.all([first, writer.flush()])
    expect(rows).toHaveLength(2)
    expect(docFromRows(rows).getMap('m').toJSON()).toEqual(map.toJSON())
  })

  it("never writes the doc's whole delete set with a batch, however fragmented the doc history is", async () => {
    // 100 editors each added 40 keys, half of them later overwritten: a delete set of ~2,000 ranges.
    const loaded = new Y.Doc()
    for (let c = 0; c < 100; c++) {
      const editor = new Y.Doc()
      editor.clientID = 1000 + c
      for (let k = 0; k < 40; k++) editor.getMap('m').set(`c${c}k${k}`, k)
      Y.applyUpdate(loaded, Y.encodeStateAsUpdate(editor))
      for (let k = 0; k < 40; k += 2) loaded.getMap('m').set(`c${c}k${k}`, -k)
    }
    const stored = Y.encodeStateAsUpdate(loaded)
    const { storage, rows } = flakyStorage(0)
    const writer = slowWriterOver(storage, loaded)
    let batchBytes = 0
    loaded.on('update', (update: Uint8Array) => {
      batchBytes += update.byteLength
      writer.enqueue(update)
    })
    for (let i = 0; i < 60; i++) loaded.getMap('m').set('moving', i)
    await writer.flush()
    expect(rows).toHaveLength(1)
    // The batch as it came, each of its 60 small updates behind a one-byte length.
    expect(rows[0]!.update.byteLength).toBeLessThanOrEqual(batchBytes + 60)
    const restored = docFromRows([rowOf(stored), rows[0]!])
    expect(restored.getMap('m').toJSON()).toEqual(loaded.getMap('m').toJSON())
  })

  it("writes another instance's orphaned updates even inside a batch large enough to be encoded from the doc", async () => {
    const loaded = new Y.Doc()
    const { storage, rows } = flakyStorage(0)
    const writer = slowWriterOver(storage, loaded)
    const remote = { remote: true }
    loaded.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== remote) writer.enqueue(update)
    })
    // Relayed from an instance that then died before writing it: in the doc, not enqueued.
    const other = new Y.Doc()
    other.getMap('m').set('fromDeadInstance', true)
    const orphan = Y.encodeStateAsUpdate(other)
    Y.applyUpdate(loaded, orphan, remote)
    // A local edit's row is cut after the orphan is in the doc.
    loaded.getMap('m').set('local', 1)
    await writer.flush()
    // A burst of local edits, then the orphan is handed over for persisting, in the same window.
    for (let i = 0; i < 80; i++) loaded.getMap('m').set('moving', i)
    writer.enqueueEarlierUpdate(orphan)
    await writer.flush()
    const restored = docFromRows(rows)
    expect(restored.getMap('m').get('fromDeadInstance')).toBe(true)
    expect(restored.getMap('m').get('moving')).toBe(79)
  })
})
