/** Converting what the two drivers return (dates as Date or string, bytea as Buffer or Uint8Array). */

export const toDate = (value: Date | string | null): Date | null =>
  value === null ? null : value instanceof Date ? value : new Date(value)

/** Node Buffers from postgres.js share a pool; copy so Yjs never sees unrelated bytes. */
export const toBytes = (value: Uint8Array): Uint8Array =>
  new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
