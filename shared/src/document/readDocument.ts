/**
 * Reading a doc's content for anything but the live editor (export, restore, the co-pilot): every
 * entry is checked against the document contract, and what cannot be read is skipped and reported
 * rather than thrown on, so one bad entry cannot make a board unreadable. Must not touch: sockets.
 */
import type { TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { type ChatMessage, checkChatMessage, checkRecordEntry } from './contract'
import { CHAT_KEY, RECORDS_KEY } from './doc'
import { compareSchema, migrateRecord, readDocSchema } from './schemaVersion'

/** Told about each entry a reader skipped: where it was and why. */
export type SkipReporter = (skipped: { index: number; error: string }) => void

/**
 * Reads every record of a doc without instantiating a YKeyValue (which rewrites duplicates and so
 * may itself produce updates). The newest entry for a key wins, as YKeyValue resolves it. Records
 * written with an older schema are migrated; entries that still fail validation are skipped.
 */
export function readRecords(doc: Y.Doc, onSkip?: SkipReporter): Map<string, TLRecord> {
  const entries = doc.getArray<unknown>(RECORDS_KEY).toArray()
  const persisted = readDocSchema(doc)
  const older = persisted !== undefined && compareSchema(persisted) === 'older'
  const records = new Map<string, TLRecord>()
  entries.forEach((entry, index) => {
    let checked = checkRecordEntry(entry)
    if (!checked.ok && older && persisted) {
      const { key, val } = entry as { key?: unknown; val?: unknown }
      const migrated =
        typeof val === 'object' && val !== null ? migrateRecord(val as TLRecord, persisted) : undefined
      if (migrated) checked = checkRecordEntry({ key, val: migrated })
    }
    if (checked.ok) records.set(checked.value.id, checked.value)
    else onSkip?.({ index, error: checked.error })
  })
  return records
}

/** The doc's chat messages; entries that are not messages are skipped. */
export function readChat(doc: Y.Doc, onSkip?: SkipReporter): ChatMessage[] {
  const messages: ChatMessage[] = []
  doc
    .getArray<unknown>(CHAT_KEY)
    .toArray()
    .forEach((entry, index) => {
      const checked = checkChatMessage(entry)
      if (checked.ok) messages.push(checked.value)
      else onSkip?.({ index, error: checked.error })
    })
  return messages
}
