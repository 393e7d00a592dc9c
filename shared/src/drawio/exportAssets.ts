/**
 * Which asset records a draw.io export embeds: those of image shapes on the exported pages (inside
 * frames and groups too). Video shapes, assets no shape uses and shapes on other pages are not
 * exported, so their files need not be read or inlined. Must not touch: bytes, XML.
 */
import type { TLRecord } from '@tldraw/tlschema'

/** Asset ids the export of `pageId` (or of every page) draws. */
export function assetIdsForExport(
  input: Iterable<TLRecord> | ReadonlyMap<string, TLRecord>,
  pageId?: string,
): Set<string> {
  const records = input instanceof Map ? [...input.values()] : [...(input as Iterable<TLRecord>)]
  const children = new Map<string, TLRecord[]>()
  for (const record of records) {
    if (record.typeName !== 'shape') continue
    const siblings = children.get(record.parentId) ?? []
    siblings.push(record)
    children.set(record.parentId, siblings)
  }
  const pages = records.filter((record) => record.typeName === 'page' && (!pageId || record.id === pageId))
  const needed = new Set<string>()
  const stack = pages.map((page) => page.id as string)
  const seen = new Set<string>()
  while (stack.length > 0) {
    const parent = stack.pop()!
    if (seen.has(parent)) continue
    seen.add(parent)
    for (const shape of children.get(parent) ?? []) {
      if (shape.typeName !== 'shape') continue
      if (shape.type === 'image' && shape.props.assetId) needed.add(shape.props.assetId)
      stack.push(shape.id)
    }
  }
  return needed
}
