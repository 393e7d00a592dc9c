/**
 * Restoring a version as this person's own change: the records that differ from the live board
 * are put, the ones the version lacks removed, in one history step — so everyone converges on it
 * through the normal sync, and one undo takes the restore back.
 */
import { diffRecords, isDocumentRecord, type TLRecord } from '@drawbridge/shared'
import type { Editor } from 'tldraw'

export function restoreVersion(editor: Editor, version: TLRecord[]): { put: number; removed: number } {
  const live = new Map(
    editor.store
      .allRecords()
      .filter((record) => isDocumentRecord(record))
      .map((record) => [record.id, record as TLRecord]),
  )
  const changes = diffRecords(live, new Map(version.map((record) => [record.id, record])))
  editor.markHistoryStoppingPoint('restore version')
  editor.run(() => {
    // Leave the page the person is on only if the version does not have it.
    if (changes.remove.length > 0) editor.store.remove(changes.remove as never)
    if (changes.put.length > 0) editor.store.put(changes.put as never)
  })
  return { put: changes.put.length, removed: changes.remove.length }
}
