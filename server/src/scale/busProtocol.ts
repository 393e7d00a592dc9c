/**
 * Messages instances exchange about one room over Redis pub/sub, and their binary encoding: one
 * encoder and one decoder, a union keyed on `type`. Pure: no Redis, no rooms.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export type BusMessage =
  /** A document update one of `from`'s clients made; `seq` orders `from`'s updates for the room. */
  | { type: 'update'; from: string; seq: number; update: Uint8Array }
  /** An awareness change of one of `from`'s clients. */
  | { type: 'awareness'; from: string; update: Uint8Array }
  /** "This is what I have": others answer with what `from` lacks. */
  | { type: 'sync-request'; from: string; stateVector: Uint8Array; deleteSetHash: number }
  /** What `to` lacked, answering its sync request. */
  | { type: 'sync-reply'; from: string; to: string; update: Uint8Array }
  /** Every update `from` published with a seq up to `seq` is in the database. */
  | { type: 'persisted'; from: string; seq: number }

const TYPE_IDS = { update: 0, awareness: 1, 'sync-request': 2, 'sync-reply': 3, persisted: 4 } as const

export function encodeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, TYPE_IDS[message.type])
  encoding.writeVarString(encoder, message.from)
  switch (message.type) {
    case 'update':
      encoding.writeVarUint(encoder, message.seq)
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'awareness':
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'sync-request':
      encoding.writeVarUint8Array(encoder, message.stateVector)
      encoding.writeVarUint(encoder, message.deleteSetHash)
      break
    case 'sync-reply':
      encoding.writeVarString(encoder, message.to)
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'persisted':
      encoding.writeVarUint(encoder, message.seq)
      break
    default: {
      const unreachable: never = message
      throw new Error(`unknown bus message ${JSON.stringify(unreachable)}`)
    }
  }
  return encoding.toUint8Array(encoder)
}

/** Decodes a bus message; undefined for bytes that are not one (logged by the caller). */
export function decodeBusMessage(bytes: Uint8Array): BusMessage | undefined {
  try {
    const decoder = decoding.createDecoder(bytes)
    const typeId = decoding.readVarUint(decoder)
    const from = decoding.readVarString(decoder)
    switch (typeId) {
      case TYPE_IDS.update:
        return {
          type: 'update',
          from,
          seq: decoding.readVarUint(decoder),
          update: decoding.readVarUint8Array(decoder),
        }
      case TYPE_IDS.awareness:
        return { type: 'awareness', from, update: decoding.readVarUint8Array(decoder) }
      case TYPE_IDS['sync-request']:
        return {
          type: 'sync-request',
          from,
          stateVector: decoding.readVarUint8Array(decoder),
          deleteSetHash: decoding.readVarUint(decoder),
        }
      case TYPE_IDS['sync-reply']:
        return {
          type: 'sync-reply',
          from,
          to: decoding.readVarString(decoder),
          update: decoding.readVarUint8Array(decoder),
        }
      case TYPE_IDS.persisted:
        return { type: 'persisted', from, seq: decoding.readVarUint(decoder) }
      default:
        return undefined
    }
  } catch {
    return undefined
  }
}

/** FNV-1a over bytes: a cheap fingerprint to tell whether two delete sets differ. */
export function fingerprint(bytes: Uint8Array): number {
  let hash = 0x811c9dc5
  for (const byte of bytes) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}
