import { buildGeoShape, getIndices, openRecords, seedRoomDoc } from '@drawbridge/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkUpdate } from './updateContract'

/** A server doc and a client that has synced it: the client's next change is `change`'s update. */
function seeded() {
  const server = new Y.Doc()
  seedRoomDoc(server, 'Board')
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const changeOf = (change: (doc: Y.Doc) => void) => {
    const before = Y.encodeStateVector(client)
    change(client)
    return Y.encodeStateAsUpdate(client, before)
  }
  return { server, client, changeOf }
}

const shape = (label: string) =>
  buildGeoShape({ x: 0, y: 0, w: 10, h: 10, text: label, index: getIndices(1)[0]! })

describe('checkUpdate', () => {
  it('accepts what a well-behaved peer writes: records set and replaced, chat, title', () => {
    const { server, client, changeOf } = seeded()
    const records = openRecords(client)
    const box = shape('a')
    for (const update of [
      changeOf(() => records.set(box.id, box)),
      changeOf(() => records.set(box.id, { ...box, x: 50 })),
      changeOf(() => records.delete(box.id)),
      changeOf((doc) =>
        doc
          .getArray('chat')
          .push([{ id: 'm1', at: 1, author: { id: 'u', name: 'Ada', kind: 'human' }, text: 'hi' }]),
      ),
      changeOf((doc) => doc.getMap('meta').set('title', 'Renamed')),
    ]) {
      expect(checkUpdate(server, update)).toEqual({ ok: true })
      Y.applyUpdate(server, update)
    }
  })

  it('follows origins into the doc and through the same update to find where an item goes', () => {
    const { server, changeOf } = seeded()
    // Appended after the stored entries: no parent in the update, only an origin in the doc.
    const afterStored = changeOf((doc) => doc.getArray('records').push([null]))
    expect(checkUpdate(server, afterStored)).toMatchObject({ ok: false, reason: 'contract' })
    // A chain inside one update: the bad item's origin is a good item of the same update.
    const chained = changeOf((doc) => {
      const box = shape('b')
      doc.getArray('records').push([{ key: box.id, val: box }])
      doc.getArray('records').push([7])
    })
    expect(checkUpdate(server, chained)).toMatchObject({ ok: false, reason: 'contract' })
    // Overwriting a map key: the new value names no parent, only the old value (in the doc) as origin.
    const titled = changeOf((doc) => doc.getMap('meta').set('title', { not: 'a string' }))
    expect(checkUpdate(server, titled)).toMatchObject({ ok: false, reason: 'contract' })
  })

  it('refuses nested types, content it cannot place, and bytes that are not an update', () => {
    const { server, changeOf } = seeded()
    const nested = changeOf((doc) => {
      const map = new Y.Map()
      doc.getArray('chat').push([map])
      map.set('text', 'hello')
    })
    expect(checkUpdate(server, nested)).toMatchObject({ ok: false, reason: 'contract' })
    const other = new Y.Doc()
    other.getArray('records').push([1])
    const orphan = (() => {
      const before = Y.encodeStateVector(other)
      other.getArray('records').push([2])
      return Y.encodeStateAsUpdate(other, before)
    })()
    expect(checkUpdate(server, orphan)).toMatchObject({
      ok: false,
      error: 'refers to content the server does not have',
    })
    expect(checkUpdate(server, Uint8Array.from([0, 2, 255, 255]))).toMatchObject({
      ok: false,
      reason: 'malformed',
    })
  })
})
