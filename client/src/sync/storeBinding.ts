/**
 * Binds tldraw's store to the room's YKeyValue `records`: the person's own document changes go
 * into one Yjs transaction each (with a local origin, so they never come back), everyone else's
 * enter the store through `mergeRemoteChanges` (so they never echo and never join this person's
 * undo stack). Only document records cross; invalid ones from a bad peer are skipped and logged.
 * Must not touch: the network, presence.
 */
import {
  compareSchema,
  isDocumentRecord,
  migrateRecord,
  openRecords,
  readDocSchema,
  type SchemaRelation,
  type TLRecord,
  validateDocumentRecord,
  writeDocSchema,
} from '@drawbridge/shared'
import type { TLStore } from 'tldraw'
import type * as Y from 'yjs'

/** Marks the transactions this binding makes, to tell its own changes from everyone else's. */
const LOCAL_ORIGIN = Object.freeze({ binding: 'tldraw-store' })

type RecordChange = { action: 'add' | 'update' | 'delete'; newValue?: TLRecord; oldValue?: TLRecord }

export interface DocBinding {
  /** How the doc's schema relates to this build's: `newer` means the board opened read-only. */
  schema: SchemaRelation
  dispose(): void
}

/** Puts records into the store; if the batch is refused, puts them one by one and skips the bad. */
function putSafely(store: TLStore, records: TLRecord[]): void {
  if (records.length === 0) return
  try {
    store.put(records)
  } catch {
    for (const record of records) {
      try {
        store.put([record])
      } catch (error) {
        console.warn('[drawbridge] skipped a record the editor refused', record.id, error)
      }
    }
  }
}

export function bindStoreToDoc(store: TLStore, doc: Y.Doc, options: { canWrite: boolean }): DocBinding {
  const records = openRecords(doc)
  const schema = compareSchema(readDocSchema(doc))
  const canWrite = options.canWrite && schema !== 'newer'
  let schemaWritten = schema === 'same'

  /** Brings a record from the doc up to this build's schema and validates it. */
  const accept = (value: unknown): TLRecord | undefined => {
    const persisted = readDocSchema(doc)
    let checked: ReturnType<typeof validateDocumentRecord>
    try {
      const migrated =
        persisted && compareSchema(persisted) === 'older' && typeof value === 'object' && value !== null
          ? migrateRecord(value as TLRecord, persisted)
          : value
      checked = migrated ? validateDocumentRecord(migrated) : { ok: false, error: 'migration failed' }
    } catch (error) {
      // A value a bad peer wrote can make migration itself throw: skip it like any invalid record.
      checked = { ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    if (checked.ok) return checked.record
    console.warn('[drawbridge] skipped an invalid record from the board', checked.error)
    return undefined
  }

  const initial = [...records.map.values()].map((entry) => accept(entry.val)).filter((r) => r !== undefined)
  store.mergeRemoteChanges(() => putSafely(store, initial))
  if (schema === 'older' && canWrite) {
    // Write the migrated records back, with the schema they now follow.
    doc.transact(() => {
      for (const record of initial) records.set(record.id, record)
      writeDocSchema(doc)
    }, LOCAL_ORIGIN)
    schemaWritten = true
  }

  const onRemoteChange = (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
    if (transaction.origin === LOCAL_ORIGIN) return
    const put: TLRecord[] = []
    const remove: TLRecord['id'][] = []
    for (const [id, change] of changes) {
      if (change.action === 'delete') {
        if (store.has(id as TLRecord['id'])) remove.push(id as TLRecord['id'])
        continue
      }
      const record = accept(change.newValue)
      if (record) put.push(record)
    }
    store.mergeRemoteChanges(() => {
      if (remove.length > 0) store.remove(remove)
      putSafely(store, put)
    })
  }
  records.on('change', onRemoteChange)

  const stopListening = store.listen(
    ({ changes }) => {
      if (!canWrite) return
      doc.transact(() => {
        for (const record of Object.values(changes.added))
          if (isDocumentRecord(record)) records.set(record.id, record)
        for (const [, to] of Object.values(changes.updated)) if (isDocumentRecord(to)) records.set(to.id, to)
        for (const record of Object.values(changes.removed))
          if (isDocumentRecord(record)) records.delete(record.id)
        if (!schemaWritten) {
          writeDocSchema(doc)
          schemaWritten = true
        }
      }, LOCAL_ORIGIN)
    },
    { source: 'user', scope: 'document' },
  )

  return {
    schema,
    dispose() {
      stopListening()
      records.off('change', onRemoteChange)
    },
  }
}
