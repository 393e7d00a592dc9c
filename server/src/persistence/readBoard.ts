/**
 * A room's content for the server's readers (export, restore, the co-pilot): the shared reader,
 * which skips entries that break the document contract, with what they skipped logged once per read
 * — so a board holding entries an older server let in still exports and restores.
 * Pure apart from logging.
 */
import { isPlainObject, RECORDS_KEY, readRecords, type SkipReporter, type TLRecord } from '@drawbridge/shared'
import type * as Y from 'yjs'
import type { Logger } from '../logger'

function skipLogger(log: Logger, what: string): { onSkip: SkipReporter; report: () => void } {
  let skipped = 0
  let example: string | undefined
  return {
    onSkip: ({ error }) => {
      skipped++
      example ??= error
    },
    report: () => {
      if (skipped > 0) log.warn({ skipped, example }, `skipped ${what} entries that cannot be read`)
    },
  }
}

export function readBoardRecords(doc: Y.Doc, log: Logger): Map<string, TLRecord> {
  const skips = skipLogger(log, 'records')
  const records = readRecords(doc, skips.onSkip)
  skips.report()
  return records
}

/** Indexes of the `records` entries no reader can use (for a restore to remove them). */
export function unreadableRecordIndexes(doc: Y.Doc): number[] {
  const indexes: number[] = []
  readRecords(doc, ({ index }) => indexes.push(index))
  return indexes
}

/**
 * Logs, at load, a board whose `records` hold items that are not even entries (`{ key, val }`) —
 * a cheap look, not a validation: readers skip such items, and this says why a board lost content.
 */
export function logMalformedEntries(doc: Y.Doc, log: Logger): void {
  let malformed = 0
  for (const entry of doc.getArray<unknown>(RECORDS_KEY).toArray()) {
    const { key, val } = (isPlainObject(entry) ? entry : {}) as { key?: unknown; val?: unknown }
    if (typeof key !== 'string' || !isPlainObject(val)) malformed++
  }
  if (malformed > 0)
    log.warn({ malformed }, 'board holds records entries that cannot be read; readers skip them')
}
