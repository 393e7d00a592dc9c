/** Large edits for tests: rectangles whose labels carry many kilobytes of text (valid tldraw records). */
import type * as Y from 'yjs'
import { addRectangles } from './records'

const KIB = 1024
/** Label text per rectangle: an edit of N KiB is N/64 rectangles. */
const LABEL_BYTES = 64 * KIB

/** Text that neither compresses to nothing nor repeats between calls (like real board content). */
function filler(bytes: number, seed: string): string {
  let state = [...seed].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7)
  let text = ''
  while (text.length < bytes) {
    state = (state * 1_103_515_245 + 12_345) >>> 0
    text += (state >>> 8).toString(36)
  }
  return text.slice(0, bytes)
}

/** Adds about `kib` KiB of rectangles in one transaction (one update); returns their ids. */
export function addBigEdit(doc: Y.Doc, kib: number, tag: string): string[] {
  const ids: string[] = []
  doc.transact(() => {
    for (let part = 0; part * 64 < kib; part++) {
      ids.push(...addRectangles(doc, 1, `${tag}-${part} ${filler(LABEL_BYTES, `${tag}-${part}`)}`))
    }
  })
  return ids
}
