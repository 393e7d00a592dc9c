/** How many records a synced doc holds (without a YKeyValue): the browser bench's readiness check. */
import { RECORDS_KEY } from '@drawbridge/shared'
import type * as Y from 'yjs'

export function readRecordCount(doc: Y.Doc): number {
  return new Set(
    doc
      .getArray<{ key: string }>(RECORDS_KEY)
      .toArray()
      .map((entry) => entry.key),
  ).size
}
