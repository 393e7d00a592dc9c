/**
 * The y-websocket wire format: one encoder per outgoing message, one decoder for incoming frames.
 * Frames are `varUint(messageType)` followed by the payload; sync frames carry a sub-type.
 * Pure: no sockets, no rooms. Decoding never throws past `decodeClientMessage`.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const
export const SyncMessageType = { Step1: 0, Step2: 1, Update: 2 } as const

export type ClientMessage =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-step-2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }

export type DecodeResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; reason: 'malformed' | 'unsupported'; detail: string }

/** Decodes one client frame. Malformed bytes and unknown message types are reported, not thrown. */
export function decodeClientMessage(frame: Uint8Array): DecodeResult {
  try {
    const decoder = decoding.createDecoder(frame)
    const messageType = decoding.readVarUint(decoder)
    switch (messageType) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        if (syncType === SyncMessageType.Step1)
          return { ok: true, message: { type: 'sync-step-1', stateVector: payload } }
        if (syncType === SyncMessageType.Step2)
          return { ok: true, message: { type: 'sync-step-2', update: payload } }
        if (syncType === SyncMessageType.Update)
          return { ok: true, message: { type: 'update', update: payload } }
        return { ok: false, reason: 'unsupported', detail: `sync message type ${syncType}` }
      }
      case MessageType.Awareness:
        return { ok: true, message: { type: 'awareness', update: decoding.readVarUint8Array(decoder) } }
      case MessageType.QueryAwareness:
        return { ok: true, message: { type: 'query-awareness' } }
      default:
        return { ok: false, reason: 'unsupported', detail: `message type ${messageType}` }
    }
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: error instanceof Error ? error.message : String(error) }
  }
}

function encodeSyncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** Sync step 1: our state vector, asking the peer for what we lack. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return encodeSyncFrame(SyncMessageType.Step1, Y.encodeStateVector(doc))
}

/** Sync step 2: everything the peer lacks, given its state vector. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return encodeSyncFrame(SyncMessageType.Step2, Y.encodeStateAsUpdate(doc, stateVector))
}

/** Sync step 2 carrying an update already encoded (a stored snapshot), with no encode of the doc. */
export function encodeSyncStep2FromUpdate(update: Uint8Array): Uint8Array {
  return encodeSyncFrame(SyncMessageType.Step2, update)
}

/** True for a frame that is a fresh client's sync step 1 (it holds nothing yet). */
export function isFreshSyncStep1(frame: Uint8Array): boolean {
  const decoded = decodeClientMessage(frame)
  return (
    decoded.ok && decoded.message.type === 'sync-step-1' && isEmptyStateVector(decoded.message.stateVector)
  )
}

/** True for the state vector of a doc that holds nothing (a fresh client's). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return Y.decodeStateVector(stateVector).size === 0
}

/** An incremental document update. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return encodeSyncFrame(SyncMessageType.Update, update)
}

/** An awareness update already encoded, as a frame. */
export function encodeAwarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** The awareness states of every known client. */
export function encodeAwareness(awareness: Awareness): Uint8Array {
  return encodeAwarenessFrame(encodeAwarenessUpdate(awareness, Array.from(awareness.getStates().keys())))
}
