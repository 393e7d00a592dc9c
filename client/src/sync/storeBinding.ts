/**
 * Binds tldraw's store to the room's YKeyValue `records`: the person's own document changes go
 * into one Yjs transaction each (with a local origin, so they never come back), everyone else's
 * enter the store through `mergeRemoteChanges` (so they never echo and never join this person's
 * undo stack). Only document records cross; invalid ones from a bad peer are skipped and logged.
 * A change of the person's own whose update would be above the server's limit (`maxUpdateBytes`)
 * never enters the doc — the server would close the socket over it, and y-websocket would send it
 * again on every reconnect: it is taken back out of the store and reported (`onRefused`).
 * Given the first view, the board enters the store progressively (`progressiveLoad.ts`): what that
 * view needs at once, the rest after the first frame.
 * Must not touch: the network, presence.
 */
import {
  CloseCode,
  compareSchema,
  currentSchema,
  describeCloseCode,
  estimateUpdateBytes,
  isDocumentRecord,
  migrateRecord,
  openRecords,
  readDocSchema,
  type SchemaRelation,
  type TLRecord,
  validateDocumentRecord,
  writeDocSchema,
} from '@drawbridge/shared'
import type { RecordsDiff, TLStore } from 'tldraw'
import type * as Y from 'yjs'
import type { FirstView } from './loadOrder'
import { ProgressiveLoad } from './progressiveLoad'

/** Marks the transactions this binding makes, to tell its own changes from everyone else's. */
const LOCAL_ORIGIN = Object.freeze({ binding: 'tldraw-store' })

type RecordChange = { action: 'add' | 'update' | 'delete'; newValue?: TLRecord; oldValue?: TLRecord }

/** Runs around a put of board records into the store; must call `put` exactly once. */
export type AroundPut = (records: readonly TLRecord[], put: () => void) => void

export interface DocBinding {
  /** How the doc's schema relates to this build's: `newer` means the board opened read-only. */
  schema: SchemaRelation
  /** Loads the rest of the board, a batch after each `nextFrame()`; resolves when all is in. */
  loadRest(nextFrame: () => Promise<void>): Promise<void>
  /** Puts the rest of the board at once (before an action that needs all of it). */
  loadAll(): void
  /** Board records not in the store yet. */
  waiting(): number
  /** The board records not in the store yet, themselves. */
  waitingRecords(): readonly TLRecord[]
  /** Runs every later put of board records through `around` (the board measures their labels together). */
  putThrough(around: AroundPut): void
  dispose(): void
}

export interface BindOptions {
  canWrite: boolean
  /**
   * Picks the page and the part of it the person sees first, from the board's records; without it
   * (or when it returns nothing) the whole board goes into the store at once.
   */
  firstView?: (records: readonly TLRecord[]) => FirstView | undefined
  /** The server's `MAX_UPDATE_BYTES` (`GET /api/config`); without it no change is refused here. */
  maxUpdateBytes?: number
  /** Told, with the words to show the person, when a change of theirs was refused as too large. */
  onRefused?: (message: string) => void
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

/** The progressive load for the first view, if there is one (a planning failure loads the board whole). */
function startLoad(
  store: TLStore,
  initial: TLRecord[],
  options: BindOptions,
  apply: (put: TLRecord[]) => void,
): ProgressiveLoad | undefined {
  try {
    const view = options.firstView?.(initial)
    return view ? new ProgressiveLoad(store, initial, view, apply) : undefined
  } catch (error) {
    console.warn('[drawbridge] could not plan the load; loading the board whole', error)
    return undefined
  }
}

export function bindStoreToDoc(store: TLStore, doc: Y.Doc, options: BindOptions): DocBinding {
  const records = openRecords(doc)
  const schema = compareSchema(readDocSchema(doc))
  const canWrite = options.canWrite && schema !== 'newer'
  let schemaWritten = schema === 'same'

  /** How the doc's `meta.schema` compares to ours, worked out again only when a peer writes a new one. */
  let persistedSchema: { value: ReturnType<typeof readDocSchema>; relation: SchemaRelation } | undefined
  const docSchema = () => {
    const value = readDocSchema(doc)
    if (!persistedSchema || persistedSchema.value !== value)
      persistedSchema = { value, relation: compareSchema(value) }
    return persistedSchema
  }

  /** Brings a record from the doc up to this build's schema and validates it. */
  const accept = (value: unknown): TLRecord | undefined => {
    const { value: persisted, relation } = docSchema()
    let checked: ReturnType<typeof validateDocumentRecord>
    try {
      const migrated =
        persisted && relation === 'older' && typeof value === 'object' && value !== null
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
  let around: AroundPut = (_records, put) => put()
  const apply = (put: TLRecord[], remove: string[] = []) =>
    around(put, () =>
      store.mergeRemoteChanges(() => {
        if (remove.length > 0) store.remove(remove as TLRecord['id'][])
        putSafely(store, put)
      }),
    )
  let loader = startLoad(store, initial, options, apply)
  if (!loader) apply(initial)
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
    const deleted: string[] = []
    for (const [id, change] of changes) {
      if (change.action === 'delete') {
        deleted.push(id)
        continue
      }
      const record = accept(change.newValue)
      if (record) put.push(record)
    }
    if (loader && loader.waiting > 0) return loader.remote(put, deleted)
    apply(
      put,
      deleted.filter((id) => store.has(id as TLRecord['id'])),
    )
  }
  records.on('change', onRemoteChange)

  /** Whether a change would make an update above the server's limit (a whole record is written per change). */
  const overLimit = (changes: RecordsDiff<TLRecord>): boolean => {
    const limit = options.maxUpdateBytes
    if (limit === undefined) return false
    const written: { key: string; val: unknown }[] = []
    for (const record of Object.values(changes.added))
      if (isDocumentRecord(record)) written.push({ key: record.id, val: record })
    for (const [, to] of Object.values(changes.updated))
      if (isDocumentRecord(to)) written.push({ key: to.id, val: to })
    if (!schemaWritten) written.push({ key: 'schema', val: currentSchema() })
    return estimateUpdateBytes(written, Object.keys(changes.removed).length) > limit
  }

  /** Takes a refused change back out of the store, as a remote change: it never reaches the doc. */
  const takeBack = (changes: RecordsDiff<TLRecord>) =>
    store.mergeRemoteChanges(() => {
      const added = Object.keys(changes.added).filter((id) => store.has(id as TLRecord['id']))
      if (added.length > 0) store.remove(added as TLRecord['id'][])
      putSafely(store, [
        ...Object.values(changes.updated).map(([from]) => from),
        ...Object.values(changes.removed),
      ])
    })

  const stopListening = store.listen(
    ({ changes }) => {
      if (!canWrite) return
      if (overLimit(changes)) {
        takeBack(changes)
        options.onRefused?.(describeCloseCode(CloseCode.UpdateTooLarge))
        return
      }
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
    loadRest: (nextFrame) => loader?.run(nextFrame) ?? Promise.resolve(),
    loadAll: () => loader?.finish(),
    waiting: () => loader?.waiting ?? 0,
    waitingRecords: () => loader?.waitingRecords ?? [],
    putThrough(next) {
      around = next
    },
    dispose() {
      loader?.stop()
      loader = undefined
      stopListening()
      records.off('change', onRemoteChange)
    },
  }
}
