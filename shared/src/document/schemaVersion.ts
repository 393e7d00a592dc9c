/**
 * `meta.schema` handling: which tldraw schema a doc's records were written with, and how that
 * compares to ours. Owns: the comparison and record migration. Must not touch: sockets, storage.
 */
import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { openMeta } from './doc'
import { drawbridgeSchema } from './schema'

/** How a doc's schema relates to this build's: `newer` docs must be opened read-only. */
export type SchemaRelation = 'same' | 'older' | 'newer' | 'unknown'

let serialized: SerializedSchema | undefined

/** The serialized schema this build writes (built once: it is fixed for a build; do not modify it). */
export function currentSchema(): SerializedSchema {
  serialized ??= drawbridgeSchema.serialize()
  return serialized
}

/** Reads `meta.schema`, or undefined when the doc has none yet (or it is not a schema object). */
export function readDocSchema(doc: Y.Doc): SerializedSchema | undefined {
  const value = openMeta(doc).get('schema')
  if (typeof value !== 'object' || value === null) return undefined
  const candidate = value as { schemaVersion?: unknown; sequences?: unknown }
  if (
    candidate.schemaVersion !== 2 ||
    typeof candidate.sequences !== 'object' ||
    candidate.sequences === null
  ) {
    return undefined
  }
  return value as SerializedSchema
}

/** Writes this build's schema into `meta.schema` (call inside the transaction that writes records). */
export function writeDocSchema(doc: Y.Doc): void {
  openMeta(doc).set('schema', currentSchema())
}

/** Compares a persisted schema with ours, migration sequence by migration sequence. */
export function compareSchema(persisted: SerializedSchema | undefined): SchemaRelation {
  if (persisted?.schemaVersion !== 2) return 'unknown'
  const ours = currentSchema()
  if (ours.schemaVersion !== 2) return 'unknown'
  let older = false
  for (const [sequenceId, theirVersion] of Object.entries(persisted.sequences)) {
    const ourVersion = ours.sequences[sequenceId]
    if (ourVersion === undefined || theirVersion > ourVersion) return 'newer'
    if (theirVersion < ourVersion) older = true
  }
  for (const sequenceId of Object.keys(ours.sequences)) {
    if (!(sequenceId in persisted.sequences)) older = true
  }
  return older ? 'older' : 'same'
}

/** Migrates one record written with an older schema up to ours; undefined when it cannot. */
export function migrateRecord(record: TLRecord, persisted: SerializedSchema): TLRecord | undefined {
  const result = drawbridgeSchema.migratePersistedRecord(record, persisted, 'up')
  return result.type === 'success' ? (result.value as TLRecord) : undefined
}
