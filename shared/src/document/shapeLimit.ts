/**
 * The most shapes one page may hold, and the pure counts every writer checks against it: the
 * browser's editor (tldraw's `maxShapesPerPage`), draw.io import, the co-pilot, MCP drawing and
 * version restore all refuse past the same number, with the same words.
 * Must not touch: Yjs, sockets, storage.
 */
import type { TLRecord } from '@tldraw/tlschema'

/** Shapes one page may hold (tldraw's own default is 4,000). */
export const MAX_SHAPES_PER_PAGE = 10_000

type Records = ReadonlyMap<string, TLRecord> | Iterable<TLRecord>

function byId(records: Records): ReadonlyMap<string, TLRecord> {
  if (records instanceof Map) return records as ReadonlyMap<string, TLRecord>
  const map = new Map<string, TLRecord>()
  for (const record of records as Iterable<TLRecord>) map.set(record.id, record)
  return map
}

/**
 * How many shapes each page holds, counting shapes inside frames and groups as tldraw does (every
 * descendant of the page). Shapes whose parent chain ends nowhere are on no page.
 */
export function shapesPerPage(records: Records): Map<string, number> {
  const all = byId(records)
  const pageOfShape = new Map<string, string | null>()
  const resolve = (id: string): string | null => {
    const chain: string[] = []
    let current = all.get(id)
    let page: string | null = null
    while (current?.typeName === 'shape') {
      const known = pageOfShape.get(current.id)
      if (known !== undefined) {
        page = known
        break
      }
      if (chain.includes(current.id)) break
      chain.push(current.id)
      const parent = all.get(current.parentId)
      if (parent?.typeName === 'page') {
        page = parent.id
        break
      }
      current = parent
    }
    for (const link of chain) pageOfShape.set(link, page)
    return page
  }
  const counts = new Map<string, number>()
  for (const record of all.values()) {
    if (record.typeName !== 'shape') continue
    const page = resolve(record.id)
    if (page) counts.set(page, (counts.get(page) ?? 0) + 1)
  }
  return counts
}

/** How many shapes `pageId` holds (every descendant, as tldraw counts). */
export function shapesOnPage(records: Records, pageId: string): number {
  return shapesPerPage(records).get(pageId) ?? 0
}

/** How many more shapes `pageId` can take (0 when it is full or past the limit). */
export function roomForShapes(records: Records, pageId: string, limit = MAX_SHAPES_PER_PAGE): number {
  return Math.max(0, limit - shapesOnPage(records, pageId))
}

/** The refusal every writer gives: what is on the page, what was asked for, the limit. */
export function shapeLimitWords(onPage: number, adding: number, limit = MAX_SHAPES_PER_PAGE): string {
  const n = (value: number) => value.toLocaleString('en-US')
  return (
    `This page is too full: it holds ${n(onPage)} shapes and this would add ${n(adding)}, ` +
    `but a page may hold at most ${n(limit)}. Add them to another page, or remove some first.`
  )
}

/**
 * The first page that `after` puts past the limit while holding more shapes than in `before`
 * (a page already past it may shrink, never grow), with its counts; undefined when all fit.
 */
export function pageOverLimit(
  before: Records,
  after: Records,
  limit = MAX_SHAPES_PER_PAGE,
): { pageId: string; onPage: number; adding: number } | undefined {
  const was = shapesPerPage(before)
  for (const [pageId, count] of shapesPerPage(after)) {
    const onPage = was.get(pageId) ?? 0
    if (count > limit && count > onPage) return { pageId, onPage, adding: count - onPage }
  }
  return undefined
}

/** A write refused because a page would hold more than MAX_SHAPES_PER_PAGE shapes. */
export class ShapeLimitError extends Error {
  constructor(
    readonly onPage: number,
    readonly adding: number,
    readonly limit = MAX_SHAPES_PER_PAGE,
  ) {
    super(shapeLimitWords(onPage, adding, limit))
    this.name = 'ShapeLimitError'
  }
}
