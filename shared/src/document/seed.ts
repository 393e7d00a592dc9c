/**
 * The initial content of a new room, written once by the server when the room is created so that
 * clients never race to seed a doc. Must not touch: sockets, storage.
 */
import * as Y from 'yjs'
import { openMeta, openRecords } from './doc'
import { buildDocumentRecord, buildPage, FIRST_PAGE_ID } from './records'
import { writeDocSchema } from './schemaVersion'

/** Writes `document:document`, the first page, `meta.schema` and `meta.title` into an empty doc. */
export function seedRoomDoc(doc: Y.Doc, title: string): void {
  doc.transact(() => {
    const records = openRecords(doc)
    records.set('document:document', buildDocumentRecord(title))
    records.set(FIRST_PAGE_ID, buildPage({ id: FIRST_PAGE_ID, name: 'Page 1' }))
    writeDocSchema(doc)
    openMeta(doc).set('title', title)
  })
}

/** The encoded state of a freshly seeded room: what the server stores as the room's first update. */
export function encodeSeededRoom(title: string): Uint8Array {
  const doc = new Y.Doc()
  seedRoomDoc(doc, title)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
