import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { createMetrics } from '../metrics'
import { ClientConnection } from './connection'
import { decodeClientMessage } from './protocol'
import { Room } from './room'
import { RoomLifecycle } from './roomLifecycle'
import { Origins } from './transactionOrigin'

const log = pino({ level: 'silent' })

/** A connection whose socket keeps what the room sends it. */
function recordingConnection(): { connection: ClientConnection; sent: Uint8Array[] } {
  const sent: Uint8Array[] = []
  const socket = {
    OPEN: 1,
    CLOSED: 3,
    readyState: 1,
    bufferedAmount: 0,
    on: () => socket,
    send: (frame: Uint8Array) => void sent.push(frame),
  }
  const connection = new ClientConnection({
    socket: socket as unknown as WebSocket,
    linkId: 'link',
    roomId: 'room',
    user: null,
    role: 'viewer',
    expiresAt: null,
    maxBufferedBytes: 1e9,
    limits: {
      messages: { capacity: 1e6, refillPerSecond: 1e6 },
      bytes: { capacity: 1e9, refillPerSecond: 1e9 },
    },
    metrics: createMetrics(),
    log,
  })
  return { connection, sent }
}

/** A room loaded from `stored`, one snapshot row: its bytes are its encoded state. */
function roomFrom(stored: Uint8Array): Room {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, stored)
  return new Room({
    roomId: 'room',
    doc,
    store: { bufferedBytes: 0, enqueuedCount: 0, persist: () => {} },
    lifecycle: new RoomLifecycle(log),
    maxPendingWriteBytes: 1e9,
    maxUpdateBytes: 1e9,
    metrics: createMetrics(),
    log,
    onEmpty: () => {},
    encodedState: stored,
  })
}

/** The updates of the sync step 2 frames among `frames`. */
const step2Updates = (frames: Uint8Array[]) =>
  frames.flatMap((frame) => {
    const decoded = decodeClientMessage(frame)
    return decoded.ok && decoded.message.type === 'sync-step-2' ? [decoded.message.update] : []
  })

describe('a client answered from the stored state while its room loaded', () => {
  const stored = (() => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('title', 'Stored')
    return Y.encodeStateAsUpdate(doc)
  })()

  it('gets, on joining, what the doc gained during the load', () => {
    const room = roomFrom(stored)
    // Relayed by another instance while the room loaded.
    room.doc.transact(() => room.doc.getMap('meta').set('title', 'Renamed elsewhere'), Origins.replica)
    const { connection, sent } = recordingConnection()
    room.join(connection, stored)
    const client = new Y.Doc()
    Y.applyUpdate(client, stored)
    for (const update of step2Updates(sent)) Y.applyUpdate(client, update)
    expect(client.getMap('meta').get('title')).toBe('Renamed elsewhere')
  })

  it('gets nothing more when the doc is still the stored state', () => {
    const room = roomFrom(stored)
    const { connection, sent } = recordingConnection()
    room.join(connection, stored)
    expect(step2Updates(sent)).toEqual([])
  })
})
