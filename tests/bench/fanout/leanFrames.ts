/**
 * Pre-encoded y-websocket frames for the lean load generator: each client's shape moves are encoded
 * once, before the run, as complete `[sync, update, bytes]` frames whose record carries a fixed-width
 * send stamp (`meta.t = '~sent@' + 16 digits`). At send time the stamp is written into the frame in
 * place; a receiver finds it with `Buffer.indexOf` — neither side runs Yjs during the measurement.
 * Pure: builds bytes, opens nothing.
 */
import { buildGeoShape, type IndexKey, type TLShape, writeRecords } from '@drawbridge/shared'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

const MESSAGE_SYNC = 0
const SYNC_STEP_1 = 0
const SYNC_UPDATE = 2
export const STAMP_MARKER = Buffer.from('~sent@', 'latin1')
const STAMP_DIGITS = 16
const UNSTAMPED = `${STAMP_MARKER.toString('latin1')}${'0'.repeat(STAMP_DIGITS)}`

export interface StampedFrame {
  bytes: Buffer
  /** Offset of the stamp's first digit in `bytes`. */
  stampAt: number
}

function updateFrame(update: Uint8Array): Buffer {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_UPDATE)
  encoding.writeVarUint8Array(encoder, update)
  return Buffer.from(encoding.toUint8Array(encoder))
}

/** Sync step 1 with an empty state vector: asks the server for the whole room. */
export function emptySyncStep1(): Buffer {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP_1)
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()))
  return Buffer.from(encoding.toUint8Array(encoder))
}

function stamped(update: Uint8Array): StampedFrame {
  const bytes = updateFrame(update)
  const at = bytes.indexOf(STAMP_MARKER)
  if (at < 0) throw new Error('stamp marker missing from an encoded update')
  return { bytes, stampAt: at + STAMP_MARKER.length }
}

/**
 * One client's frames: `[0]` puts its shape, `[1..moves]` each move it by 1 px (the same update a
 * YKeyValue `set` produces: the old entry deleted, the new one appended). Frames must be sent in order.
 */
export function encodeClientFrames(clientIndex: number, index: IndexKey, moves: number): StampedFrame[] {
  const doc = new Y.Doc()
  let shape: TLShape = {
    ...buildGeoShape({ x: clientIndex * 120, y: 0, w: 100, h: 50, text: `client ${clientIndex}`, index }),
    meta: { t: UNSTAMPED },
  }
  const frames: StampedFrame[] = []
  doc.on('update', (update: Uint8Array) => frames.push(stamped(update)))
  writeRecords(doc, { put: [shape], remove: [] })
  for (let move = 0; move < moves; move++) {
    shape = { ...shape, x: shape.x + 1 }
    writeRecords(doc, { put: [shape], remove: [] })
  }
  doc.destroy()
  return frames
}

/** Writes `timeMs` (wall clock, ms) into the frame as microseconds; returns the time as a reader sees it. */
export function stamp(frame: StampedFrame, timeMs: number): number {
  const micros = Math.round(timeMs * 1000)
  frame.bytes.write(micros.toString().padStart(STAMP_DIGITS, '0'), frame.stampAt, STAMP_DIGITS, 'latin1')
  return micros / 1000
}

/** Calls `found` with every send time (ms) stamped in a received frame; 0 for a shape's first put. */
export function readStamps(frame: Buffer, found: (sentAtMs: number) => void): void {
  let at = frame.indexOf(STAMP_MARKER)
  while (at >= 0) {
    const start = at + STAMP_MARKER.length
    let micros = 0
    for (let i = start; i < start + STAMP_DIGITS; i++) micros = micros * 10 + (frame[i]! - 48)
    found(micros / 1000)
    at = frame.indexOf(STAMP_MARKER, start + STAMP_DIGITS)
  }
}
