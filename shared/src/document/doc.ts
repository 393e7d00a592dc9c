/**
 * The layout of a Drawbridge Y.Doc (docs/architecture.md, "Document layout"): `records` (YKeyValue of tldraw records),
 * `meta` (schema, title) and `chat`. Owns: opening those types and reading/writing their content.
 * Must not touch: sockets, storage, React.
 */
import type { TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { RecordStore } from './recordStore'

export const RECORDS_KEY = 'records'
export const META_KEY = 'meta'
export const CHAT_KEY = 'chat'

/** The only top-level types a Drawbridge doc has; an update that creates any other is refused. */
export const DOC_ROOT_NAMES: ReadonlySet<string> = new Set([RECORDS_KEY, META_KEY, CHAT_KEY])

export type DocRecords = RecordStore<TLRecord>

const openedRecords = new WeakMap<Y.Doc, DocRecords>()

/**
 * The record store of a doc: a key-value view over `doc.getArray('records')`. One per doc — each
 * observes the array, so a second instance would double the work of every change.
 */
export function openRecords(doc: Y.Doc): DocRecords {
  let records = openedRecords.get(doc)
  if (!records) {
    records = new RecordStore<TLRecord>(doc.getArray<unknown>(RECORDS_KEY))
    openedRecords.set(doc, records)
  }
  return records
}

/** The `meta` map of a doc. */
export function openMeta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_KEY)
}

/** Reads the room title stored in `meta`, or the empty string. */
export function readTitle(doc: Y.Doc): string {
  const title = openMeta(doc).get('title')
  return typeof title === 'string' ? title : ''
}

export interface RecordChanges {
  put: TLRecord[]
  remove: string[]
}

/**
 * Writes record changes straight into the `records` array, as YKeyValue would (old entry deleted,
 * new one appended), without instantiating a YKeyValue — whose observer would then run on every
 * later change of a long-lived server-side doc. One transaction; `origin` marks who made it.
 */
export function writeRecords(doc: Y.Doc, changes: RecordChanges, origin?: unknown): void {
  const array = doc.getArray<unknown>(RECORDS_KEY)
  const touched = new Set<unknown>([...changes.remove, ...changes.put.map((record) => record.id)])
  doc.transact(() => {
    const entries = array.toArray()
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]
      const key = typeof entry === 'object' && entry !== null ? (entry as { key?: unknown }).key : undefined
      if (touched.has(key)) array.delete(index, 1)
    }
    if (changes.put.length > 0) array.push(changes.put.map((record) => ({ key: record.id, val: record })))
  }, origin)
}

/** The changes that turn `current` records into `target` records (compared by value). */
export function diffRecords(current: Map<string, TLRecord>, target: Map<string, TLRecord>): RecordChanges {
  const put: TLRecord[] = []
  const remove: string[] = []
  for (const id of current.keys()) if (!target.has(id)) remove.push(id)
  for (const [id, record] of target) {
    const existing = current.get(id)
    if (!existing || JSON.stringify(existing) !== JSON.stringify(record)) put.push(record)
  }
  return { put, remove }
}
