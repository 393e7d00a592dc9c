/**
 * Turns a room's stored rows back into a Y.Doc, and folds them into one state for compaction.
 * Pure apart from logging: no SQL, no sockets.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { StoredDocument } from '../storage/storage'

export interface LoadedDocument {
  doc: Y.Doc
  /** Ids of stored update rows that could not be applied (corrupt bytes). */
  skippedUpdateIds: number[]
}

/** Applies the snapshot, then every update in order; a row that is not a Yjs update is skipped and logged. */
export function buildDocument(stored: StoredDocument, log?: Logger): LoadedDocument {
  const doc = new Y.Doc({ gc: true })
  const skippedUpdateIds: number[] = []
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const row of stored.updates) {
    try {
      Y.applyUpdate(doc, row.update)
    } catch (error) {
      skippedUpdateIds.push(row.id)
      log?.error({ updateId: row.id, err: error }, 'stored update is not a valid Yjs update; skipped')
    }
  }
  return { doc, skippedUpdateIds }
}

/** The compacted state of stored rows: one update equivalent to all of them. */
export function foldDocument(stored: StoredDocument, log?: Logger): Uint8Array {
  const { doc } = buildDocument(stored, log)
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return state
}
