import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { integrateDecoded } from './integrateDecoded'
import { UpdatesAsReceived } from './updateAsReceived'

const ORIGIN = { kind: 'connection', connectionId: 7 }

/** A room doc and a client in sync with it; `change` returns the client's update for one edit. */
function roomAndClient() {
  const room = new Y.Doc()
  room.getMap('meta').set('title', 'Board')
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room))
  const change = (edit: (doc: Y.Doc) => void) => {
    const before = Y.encodeStateVector(client)
    edit(client)
    return Y.encodeStateAsUpdate(client, before)
  }
  const heard: Array<{ update: Uint8Array; origin: unknown }> = []
  room.on('update', (update: Uint8Array, origin: unknown) => heard.push({ update, origin }))
  const asReceived = new UpdatesAsReceived(room)
  const integrate = (update: Uint8Array) =>
    asReceived.integrate(update, () => integrateDecoded(room, Y.decodeUpdate(update), ORIGIN))
  return { room, client, change, heard, integrate }
}

describe('an update integrated as received', () => {
  it("reaches the doc's update listeners as its bytes came, with its origin", () => {
    const { room, change, heard, integrate } = roomAndClient()
    const update = change((doc) => doc.getArray('records').push([{ key: 'shape:a', val: 1 }]))
    expect(integrate(update)).toBe(true)
    expect(heard).toEqual([{ update, origin: ORIGIN }])
    expect(heard[0]!.update).toBe(update)
    expect(room.getArray('records').toJSON()).toEqual([{ key: 'shape:a', val: 1 }])
  })

  it('emits nothing when it changes nothing (a deletion the doc already has)', () => {
    const { change, heard, integrate } = roomAndClient()
    integrate(change((doc) => doc.getArray('records').push(['x'])))
    const deletion = change((doc) => doc.getArray('records').delete(0, 1))
    integrate(deletion)
    heard.length = 0
    expect(integrate(deletion)).toBe(true)
    expect(heard).toEqual([])
  })

  it('lets Yjs encode a change an observer makes inside it, after ours, and gives the listeners back', () => {
    const { room, client, change, heard, integrate } = roomAndClient()
    room.getArray('records').observe((event) => {
      if (event.changes.added.size > 0) room.getMap('meta').set('touched', true)
    })
    const update = change((doc) => doc.getArray('records').push(['x']))
    integrate(update)
    expect(heard.map((heardUpdate) => heardUpdate.update === update)).toEqual([true, false])
    // A peer fed what the listeners heard ends where the room is.
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(client))
    for (const { update: heardUpdate } of heard) Y.applyUpdate(peer, heardUpdate)
    expect(peer.getMap('meta').toJSON()).toEqual({ title: 'Board', touched: true })
    expect(Y.encodeStateAsUpdate(peer)).toEqual(Y.encodeStateAsUpdate(room))
    // Later changes are encoded by Yjs as before.
    heard.length = 0
    room.getMap('meta').set('title', 'Renamed')
    expect(heard).toHaveLength(1)
  })
})
