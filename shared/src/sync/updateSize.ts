/**
 * The size contract of one document update: the server closes a client whose update (or sync
 * answer) is above `MAX_UPDATE_BYTES` with 4413 (`CloseCode.UpdateTooLarge`), and the client
 * checks its own changes against the same limit (`GET /api/config` states it) before they enter
 * the doc. Owns: the default limit and the estimate of how large a write's update will be.
 * Must not touch: docs, sockets, configuration.
 */

/** The server's `MAX_UPDATE_BYTES` when the variable is unset, and the client's until the server says. */
export const DEFAULT_MAX_UPDATE_BYTES = 4 * 1024 * 1024

/**
 * Bytes Yjs adds around one written entry at most: the inserted item's info, origin id (client and
 * clock, up to 10 bytes as var-uints), content length, and the deletion of the entry it replaces.
 */
const ENTRY_OVERHEAD_BYTES = 32
/** Bytes of the update around its items: struct and delete-set headers, client ids, clocks. */
const UPDATE_OVERHEAD_BYTES = 256

const varUintBytes = (value: number): number => {
  let bytes = 1
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes++
  return bytes
}

/** UTF-8 length of a string, without encoding it (a lone surrogate becomes 3 bytes, as in TextEncoder). */
function utf8Bytes(text: string): number {
  let bytes = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        index++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

const stringBytes = (text: string): number => {
  const length = utf8Bytes(text)
  return varUintBytes(length) + length
}

/**
 * Bytes of a value in lib0's `writeAny` encoding, the one Yjs uses for the content of an array
 * item (exact for every JSON value).
 */
export function encodedValueBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 1 + stringBytes(value)
    case 'number':
      // Integers up to 31 bits are var-ints (six bits and the sign in the first byte), others a
      // float32 when that holds them exactly, else a float64; each after a type byte.
      if (Number.isInteger(value) && Math.abs(value) <= 0x7fffffff)
        return Math.abs(value) < 64 ? 2 : 2 + varUintBytes(Math.floor(Math.abs(value) / 64))
      return Math.fround(value) === value ? 5 : 9
    case 'bigint':
      return 9
    case 'object': {
      if (value === null) return 1
      if (Array.isArray(value)) {
        let bytes = 1 + varUintBytes(value.length)
        for (const item of value) bytes += encodedValueBytes(item)
        return bytes
      }
      if (value instanceof Uint8Array) return 1 + varUintBytes(value.byteLength) + value.byteLength
      const keys = Object.keys(value)
      let bytes = 1 + varUintBytes(keys.length)
      for (const key of keys)
        bytes += stringBytes(key) + encodedValueBytes((value as Record<string, unknown>)[key])
      return bytes
    }
    default:
      // booleans and undefined: one type byte.
      return 1
  }
}

/**
 * An upper bound, within a few bytes per entry, of the update that one transaction writing these
 * key-value entries (each replacing any older entry of its key) and deleting `deletions` entries
 * produces — what the server compares with its limit.
 */
export function estimateUpdateBytes(entries: Iterable<{ key: string; val: unknown }>, deletions = 0): number {
  let bytes = UPDATE_OVERHEAD_BYTES + deletions * ENTRY_OVERHEAD_BYTES
  for (const entry of entries) bytes += ENTRY_OVERHEAD_BYTES + encodedValueBytes(entry)
  return bytes
}
