/**
 * Turns a room's stored rows back into a Y.Doc, and folds them into one state for compaction.
 * Pure apart from logging: no SQL, no sockets.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { FoldedDocument, StoredDocument } from '../storage/storage'
import { unpackUpdates } from '../storage/updateBatch'

export interface LoadedDocument {
  doc: Y.Doc
  /** Stored update rows that could not be applied (corrupt bytes), with why. */
  corrupt: Array<{ id: number; error: string }>
}

/**
 * Applies the snapshot, then every update in order (a row may hold several, `updateBatch.ts`), in
 * one transaction. The common case decodes each update once; only when one fails does the load
 * start over, checking each row before it touches the doc, so a corrupt row is skipped (and
 * reported for quarantine) while every other row still applies.
 */
export function buildDocument(stored: StoredDocument, log?: Logger): LoadedDocument {
  const fast = new Y.Doc({ gc: true })
  try {
    Y.transact(fast, () => {
      if (stored.snapshot) Y.applyUpdate(fast, stored.snapshot)
      for (const row of stored.updates)
        for (const update of unpackUpdates(row.update, row.updateCount)) Y.applyUpdate(fast, update)
    })
    return { doc: fast, corrupt: [] }
  } catch {
    fast.destroy()
  }
  const doc = new Y.Doc({ gc: true })
  const corrupt: Array<{ id: number; error: string }> = []
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const row of stored.updates) {
    try {
      // Decoding first: a corrupt row must fail before any part of it reaches the doc.
      const updates = unpackUpdates(row.update, row.updateCount)
      for (const update of updates) Y.decodeUpdate(update)
      for (const update of updates) Y.applyUpdate(doc, update)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      corrupt.push({ id: row.id, error: message })
      log?.error(
        { updateId: row.id, err: message },
        'stored update is not a valid Yjs update; quarantining it',
      )
    }
  }
  return { doc, corrupt }
}

/** The compacted state of stored rows (one update equivalent to all of them) and the corrupt rows. */
export function foldDocument(stored: StoredDocument, log?: Logger): FoldedDocument {
  const { doc, corrupt } = buildDocument(stored, log)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return { state, corrupt }
}
