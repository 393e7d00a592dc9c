/**
 * Protocol fuzzing: thousands of random and mutated y-websocket frames from many connections.
 * Every bad frame closes only its own connection; the server stays up, its memory stays bounded
 * and the document — watched by an honest client throughout — is unchanged.
 */
import type { RunningServer } from '@drawbridge/server'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { addRectangles, recordsOf } from './support/records'
import { startTestServer } from './support/servers'

const FRAMES = 10_000
const CONNECTIONS = 25

/** A small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function frameKinds(next: () => number, validUpdate: Uint8Array) {
  const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256))
  const header = (...uints: number[]) => {
    const encoder = encoding.createEncoder()
    for (const value of uints) encoding.writeVarUint(encoder, value)
    return encoding.toUint8Array(encoder)
  }
  const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]))
  return [
    () => bytes(1 + Math.floor(next() * 64)), // random bytes
    () => concat(header(0, 2), bytes(1 + Math.floor(next() * 32))), // sync update, random payload
    () => concat(header(0, 1, 1_000_000_000), bytes(8)), // huge declared length
    () => Uint8Array.from([0, 0x80, 0x80, 0x80, 0x80, 0x80]), // unterminated varint
    () => header(5 + Math.floor(next() * 250)), // unknown message type
    () => concat(header(1), bytes(1 + Math.floor(next() * 16))), // awareness garbage
    () => {
      // a real update frame, truncated
      const frame = concat(header(0, 2, validUpdate.byteLength), validUpdate)
      return frame.slice(0, 1 + Math.floor(next() * (frame.byteLength - 2)))
    },
    () => {
      // a real update writing a top-level type outside the document layout
      const rogue = new Y.Doc()
      rogue.getMap(`rogue${Math.floor(next() * 1000)}`).set('x', 1)
      const update = Y.encodeStateAsUpdate(rogue)
      return concat(header(0, 2, update.byteLength), update)
    },
  ]
}

describe('protocol fuzzing', () => {
  let database: TestDatabase
  let server: RunningServer
  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it(`survives ${FRAMES} hostile frames from ${CONNECTIONS} connections with the doc unchanged`, async () => {
    const room = await createRoom(server.url)
    const honest = await connectSynced(server.url, room.links.edit.id)
    addRectangles(honest.doc, 20)
    const observer = await connectSynced(server.url, room.links.view.id)
    await waitFor(
      () => JSON.stringify(recordsOf(observer.doc)) === JSON.stringify(recordsOf(honest.doc)),
      'observer synced',
    )
    const before = recordsOf(honest.doc)
    const rootsBefore = [...observer.doc.share.keys()].sort()

    const validUpdate = Y.encodeStateAsUpdate(honest.doc)
    const next = random(20261124)
    const kinds = frameKinds(next, validUpdate)
    global.gc?.()
    const heapBefore = process.memoryUsage().heapUsed
    let sent = 0
    const closeCodes = new Map<number, number>()

    const worker = async () => {
      while (sent < FRAMES) {
        const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/yjs/${room.links.edit.id}`)
        ws.on('error', () => {})
        const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
        await new Promise<void>((resolve) => ws.once('open', () => resolve()))
        // A burst of frames per connection: the first bad one closes it, the rest hit a closing socket.
        for (let i = 0; i < 20 && sent < FRAMES && ws.readyState === WebSocket.OPEN; i++) {
          ws.send(kinds[Math.floor(next() * kinds.length)]!())
          sent++
        }
        const timer = setTimeout(() => ws.terminate(), 2_000)
        const code = await closed
        clearTimeout(timer)
        closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1)
      }
    }
    await Promise.all(Array.from({ length: CONNECTIONS }, worker))

    expect(sent).toBe(FRAMES)
    // Most connections were closed by the server for a bad frame.
    expect((closeCodes.get(1002) ?? 0) + (closeCodes.get(1003) ?? 0)).toBeGreaterThan(100)
    // The honest clients never noticed.
    expect(honest.wsconnected && observer.wsconnected).toBe(true)
    const [marker] = addRectangles(honest.doc, 1, 'after the storm')
    await waitFor(() => recordsOf(observer.doc)[marker!] !== undefined, 'honest edits still flow')
    const { [marker!]: _marker, ...after } = recordsOf(observer.doc)
    expect(after).toEqual(before)
    expect([...observer.doc.share.keys()].sort()).toEqual(rootsBefore)
    const fresh = await connectSynced(server.url, room.links.view.id)
    expect([...fresh.doc.share.keys()].sort()).toEqual(rootsBefore)
    global.gc?.()
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024)
    destroyAll([honest, observer, fresh])
  })
})
