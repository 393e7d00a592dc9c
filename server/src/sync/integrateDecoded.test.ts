import { buildGeoShape, getIndices, seedRoomDoc } from '@drawbridge/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { integrateDecoded } from './integrateDecoded'
import { UpdatesAsReceived } from './updateAsReceived'
import { checkUpdate } from './updateContract'

/** A deterministic pseudo-random source (mulberry32). */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ORIGIN = Object.freeze({ kind: 'connection', connectionId: 1 })

/**
 * Two copies of a room doc: one fed as the room feeds it (`integrateDecoded`, its 'update' event
 * carrying the bytes as received), one through `Y.applyUpdate`; and a peer of each, fed what its
 * copy's 'update' listeners were given.
 */
function twins(initial: Uint8Array) {
  const docs = () => {
    const doc = new Y.Doc({ gc: true })
    Y.applyUpdate(doc, initial)
    return doc
  }
  const [fast, reference, fastPeer, referencePeer] = [docs(), docs(), docs(), docs()]
  const emitted = { fast: [] as Uint8Array[], reference: [] as Uint8Array[] }
  const asReceived = new UpdatesAsReceived(fast)
  fast.on('update', (update: Uint8Array, origin: unknown) => {
    expect(origin).toBe(ORIGIN)
    emitted.fast.push(update)
    Y.applyUpdate(fastPeer, update)
  })
  reference.on('update', (update: Uint8Array) => {
    emitted.reference.push(update)
    Y.applyUpdate(referencePeer, update)
  })
  let integrated = 0
  let leftToYjs = 0
  const sameState = (a: Y.Doc, b: Y.Doc) =>
    Buffer.from(Y.encodeStateAsUpdate(a)).equals(Buffer.from(Y.encodeStateAsUpdate(b)))
  /** Delivers one update to both, as the room does: only if it passes the contract. */
  const deliver = (update: Uint8Array) => {
    const check = checkUpdate(reference, update)
    expect(checkUpdate(fast, update)).toEqual(check)
    if (!check.ok) return
    const decoded = Y.decodeUpdate(update)
    if (asReceived.integrate(update, () => integrateDecoded(fast, decoded, ORIGIN))) {
      integrated++
      // Given on as it came, when it changed anything (as Yjs emits only then).
      expect(emitted.fast.every((sent) => sent === update)).toBe(true)
    } else {
      leftToYjs++
      Y.applyUpdate(fast, update, ORIGIN)
    }
    Y.applyUpdate(reference, update, ORIGIN)
    expect(emitted.fast.length).toBe(emitted.reference.length)
    emitted.fast.length = 0
    emitted.reference.length = 0
    expect(sameState(fast, reference)).toBe(true)
    expect(sameState(fastPeer, referencePeer)).toBe(true)
    // A peer has all the room has, but what the room holds pending (its encoding includes that).
    if (!fast.store.pendingStructs && !fast.store.pendingDs) expect(sameState(fastPeer, fast)).toBe(true)
    expect(fast.store.pendingStructs?.update).toEqual(reference.store.pendingStructs?.update)
    expect(fast.store.pendingDs).toEqual(reference.store.pendingDs)
  }
  return { fast, reference, deliver, counts: () => ({ integrated, leftToYjs }) }
}

/** Random edits by several clients, delivered live, late, out of order, merged, repeated and whole. */
function runScenario(seed: number, steps: number) {
  const next = random(seed)
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!
  const server = new Y.Doc()
  seedRoomDoc(server, 'Board')
  const initial = Y.encodeStateAsUpdate(server)
  const room = twins(initial)
  const clients = Array.from({ length: 4 }, (_, i) => {
    const doc = new Y.Doc({ gc: next() < 0.5 })
    doc.clientID = 1000 + Math.floor(next() * 1e6) * 4 + i
    Y.applyUpdate(doc, initial)
    return doc
  })
  const held: Uint8Array[] = []
  let shapes = 0
  const entry = () => {
    const shape = buildGeoShape({
      x: Math.round(next() * 500),
      y: 0,
      w: 10,
      h: 10,
      text: `s${shapes++}`,
      index: getIndices(1)[0]!,
    })
    return { key: shape.id, val: shape }
  }
  const edit = (doc: Y.Doc) => {
    const records = doc.getArray('records')
    const roll = next()
    if (roll < 0.35) records.push(Array.from({ length: 1 + Math.floor(next() * 3) }, entry))
    else if (roll < 0.5 && records.length > 0) records.insert(Math.floor(next() * records.length), [entry()])
    else if (roll < 0.75 && records.length > 2) {
      const index = Math.floor(next() * records.length)
      doc.transact(() => {
        records.delete(index, 1)
        records.push([entry()])
      })
    } else if (roll < 0.85 && records.length > 0) {
      const index = Math.floor(next() * records.length)
      records.delete(index, Math.min(records.length - index, 1 + Math.floor(next() * 3)))
    } else if (roll < 0.93) {
      doc
        .getArray('chat')
        .push([{ id: `m${shapes++}`, at: 1, author: { id: 'u', name: 'A', kind: 'human' }, text: 'hi' }])
    } else doc.getMap('meta').set('title', `Title ${shapes++}`)
  }
  for (let step = 0; step < steps; step++) {
    const client = pick(clients)
    const roll = next()
    if (roll < 0.55) {
      const before = Y.encodeStateVector(client)
      edit(client)
      const update = Y.encodeStateAsUpdate(client, before)
      if (next() < 0.8) room.deliver(update)
      else held.push(update)
    } else if (roll < 0.7 && held.length > 0) {
      room.deliver(held.splice(Math.floor(next() * held.length), 1)[0]!)
    } else if (roll < 0.75 && held.length > 1) {
      room.deliver(Y.mergeUpdates(held.splice(0, 2)))
    } else if (roll < 0.85) {
      // A client catches up from the room, so its next edits build on everyone's items.
      Y.applyUpdate(client, Y.encodeStateAsUpdate(room.reference, Y.encodeStateVector(client)))
    } else if (roll < 0.95) {
      // Sync step 2 from a reconnecting client: what the room lacks, or everything it has.
      room.deliver(
        Y.encodeStateAsUpdate(client, next() < 0.9 ? Y.encodeStateVector(room.reference) : undefined),
      )
    } else {
      const other = pick(clients)
      Y.applyUpdate(other, Y.encodeStateAsUpdate(client, Y.encodeStateVector(other)))
    }
  }
  for (const update of held) room.deliver(update)
  for (const client of clients)
    room.deliver(Y.encodeStateAsUpdate(client, Y.encodeStateVector(room.reference)))
  expect(room.fast.getArray('records').toJSON()).toEqual(room.reference.getArray('records').toJSON())
  return room.counts()
}

describe('integrateDecoded', () => {
  it('leaves the doc as Y.applyUpdate does, and peers fed its update events where they would be, over random edit histories', () => {
    let integrated = 0
    let leftToYjs = 0
    for (let seed = 1; seed <= 10; seed++) {
      const counts = runScenario(seed, 200)
      integrated += counts.integrated
      leftToYjs += counts.leftToYjs
    }
    // Both paths ran often: live edits through the single decode; late, merged, repeated and whole
    // updates through Yjs.
    expect(integrated).toBeGreaterThan(400)
    expect(leftToYjs).toBeGreaterThan(200)
  })

  it('takes a live edit and leaves what it cannot integrate whole (a gap) to Yjs, changing nothing', () => {
    const room = new Y.Doc()
    seedRoomDoc(room, 'Board')
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room))
    const changeOf = (change: () => void) => {
      const before = Y.encodeStateVector(client)
      change()
      return Y.encodeStateAsUpdate(client, before)
    }
    const first = changeOf(() => client.getMap('meta').set('title', 'One'))
    const second = changeOf(() => client.getMap('meta').set('title', 'Two'))
    const before = Y.encodeStateAsUpdate(room)
    expect(integrateDecoded(room, Y.decodeUpdate(second), null)).toBe(false)
    expect(Y.encodeStateAsUpdate(room)).toEqual(before)
    expect(integrateDecoded(room, Y.decodeUpdate(first), null)).toBe(true)
    expect(integrateDecoded(room, Y.decodeUpdate(second), null)).toBe(true)
    expect(room.getMap('meta').get('title')).toBe('Two')
  })
})
