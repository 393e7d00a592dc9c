/**
 * Reading shapes on the board as text: the selection's labels in reading order (what the planner
 * turns into a flowchart without a model), and counting the arrows among drawn records.
 * Owns: these reads. Must not touch: writing to the doc.
 */
import { labelOf, pageBoxOf, type TLRecord, type TLShape } from '@drawbridge/shared'

/**
 * The selected shapes' text in reading order (rows top to bottom, each left to right); several
 * one-line labels (sticky notes, boxes) read as numbered steps.
 */
export function selectionAsText(records: ReadonlyMap<string, TLRecord>, selection: string[]): string {
  const entries = selection
    .map((id) => records.get(id))
    .filter((record): record is TLShape => record?.typeName === 'shape' && record.type !== 'arrow')
    .map((shape) => ({ box: pageBoxOf(shape, records), text: labelOf(shape).trim() }))
    .filter((entry) => entry.text !== '')
  const ROW = 40
  entries.sort((a, b) => (Math.abs(a.box.y - b.box.y) < ROW ? a.box.x - b.box.x : a.box.y - b.box.y))
  if (entries.length > 1 && entries.every((entry) => !entry.text.includes('\n'))) {
    return entries.map((entry, index) => `${index + 1}. ${entry.text}`).join('\n')
  }
  return entries.map((entry) => entry.text).join('\n')
}

/** How many of `ids` are arrows. */
export function countArrows(records: Iterable<TLRecord>, ids: string[]): number {
  const wanted = new Set(ids)
  let arrows = 0
  for (const record of records)
    if (wanted.has(record.id) && record.typeName === 'shape' && record.type === 'arrow') arrows++
  return arrows
}
