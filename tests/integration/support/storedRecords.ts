/** Reads the records a room's stored rows hold, straight from storage (no server in between). */

import { type StoredDocument, unpackUpdates } from '@drawbridge/server'
import { readRecords, type TLRecord } from '@drawbridge/shared'
import * as Y from 'yjs'

export function buildStoredRecords(stored: StoredDocument): Map<string, TLRecord> {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const row of stored.updates)
    for (const update of unpackUpdates(row.update, row.updateCount)) Y.applyUpdate(doc, update)
  const records = readRecords(doc)
  doc.destroy()
  return records
}
