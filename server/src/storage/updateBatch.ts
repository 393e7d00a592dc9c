/**
 * A stored row that holds several updates as they arrived: each one length-prefixed (lib0's
 * varUint8Array), in order. Writing a window's updates this way costs a copy of their bytes;
 * merging them (`Y.mergeUpdates`) decoded and re-encoded every item, the server's largest cost per
 * update under fan-out. The row's count says how many it holds (`doc_updates.update_count`).
 * Pure: no Yjs, no SQL.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** The bytes of a row holding `updates` (more than one; a single update is stored as it is). */
export function packUpdates(updates: readonly Uint8Array[]): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const update of updates) encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/**
 * The updates a stored row holds (views into `bytes`, not copies). Throws when the bytes are not
 * exactly `count` length-prefixed updates: the row is corrupt.
 */
export function unpackUpdates(bytes: Uint8Array, count: number): Uint8Array[] {
  if (count === 1) return [bytes]
  if (!Number.isInteger(count) || count < 1) throw new Error(`a row cannot hold ${count} updates`)
  const decoder = decoding.createDecoder(bytes)
  const updates: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    if (!decoding.hasContent(decoder)) throw new Error(`the row holds ${i} of its ${count} updates`)
    const length = decoding.readVarUint(decoder)
    if (length > bytes.byteLength - decoder.pos) throw new Error(`update ${i + 1} of the row is cut short`)
    updates.push(decoding.readUint8Array(decoder, length))
  }
  if (decoding.hasContent(decoder)) throw new Error(`the row holds more than its ${count} updates`)
  return updates
}
