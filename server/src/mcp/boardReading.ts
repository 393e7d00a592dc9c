/**
 * What the read tools answer, as pure functions of the board's records: the co-pilot's board
 * reading (`describeBoard`: compact text, short ids) with its items as data, optionally only what
 * people have selected, and the draw.io export of a page or of the selection.
 * Owns: page choice and selection scoping for MCP. Must not touch: Yjs, sessions, I/O.
 */
import {
  type BoardItem,
  describeBoard,
  recordsToMxfile,
  type TLRecord,
  type UnmappedRecord,
} from '@drawbridge/shared'

/** The board text a client gets is capped like the co-pilot's (a model's context is finite). */
export const BOARD_TEXT_MAX_CHARS = 12_000

export interface PageSummary {
  id: string
  name: string
}

export class BoardReadError extends Error {}

export function pagesOf(records: ReadonlyMap<string, TLRecord>): PageSummary[] {
  return [...records.values()]
    .filter(
      (record): record is TLRecord & { typeName: 'page'; name: string; index: string } =>
        record.typeName === 'page',
    )
    .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
    .map((page) => ({ id: page.id, name: page.name }))
}

/** The page asked for (by id, or by name), or the first page; an unknown page is an error naming the pages. */
export function choosePage(records: ReadonlyMap<string, TLRecord>, pageId: string | undefined): PageSummary {
  const pages = pagesOf(records)
  const first = pages[0]
  if (!first) throw new BoardReadError('The board has no page.')
  if (pageId === undefined) return first
  const page = pages.find((candidate) => candidate.id === pageId || candidate.name === pageId)
  if (!page) {
    const known = pages.map((candidate) => `${candidate.id} ("${candidate.name}")`).join(', ')
    throw new BoardReadError(`No page ${JSON.stringify(pageId)} on this board. Pages: ${known}.`)
  }
  return page
}

/**
 * The selected shapes, what they contain, the frames holding them (so positions stay right) and
 * the arrows (with their bindings) between any of those.
 */
export function selectionScope(
  records: ReadonlyMap<string, TLRecord>,
  selection: readonly string[],
): Set<string> {
  const wanted = new Set(selection.filter((id) => records.get(id)?.typeName === 'shape'))
  const children = new Map<string, string[]>()
  for (const record of records.values()) {
    if (record.typeName !== 'shape') continue
    children.set(record.parentId, [...(children.get(record.parentId) ?? []), record.id])
  }
  const stack = [...wanted]
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (!wanted.has(child)) {
        wanted.add(child)
        stack.push(child)
      }
    }
  }
  for (const id of [...wanted]) {
    let parent = records.get((records.get(id) as { parentId?: string } | undefined)?.parentId ?? '')
    while (parent?.typeName === 'shape') {
      wanted.add(parent.id)
      parent = records.get(parent.parentId)
    }
  }
  const arrowEnds = new Map<string, string[]>()
  for (const record of records.values()) {
    if (record.typeName === 'binding' && record.type === 'arrow')
      arrowEnds.set(record.fromId, [...(arrowEnds.get(record.fromId) ?? []), record.toId])
  }
  for (const [arrowId, ends] of arrowEnds) {
    if (ends.length > 0 && ends.every((end) => wanted.has(end))) wanted.add(arrowId)
  }
  for (const record of records.values()) {
    if (record.typeName === 'binding' && wanted.has(record.fromId) && wanted.has(record.toId))
      wanted.add(record.id)
  }
  return wanted
}

export interface BoardReading {
  text: string
  page: PageSummary
  pages: PageSummary[]
  items: BoardItem[]
  /** Record ids people have selected (what `selectionOnly` narrowed to). */
  selection: string[]
}

/**
 * The board (one page) as the co-pilot reads it. Short ids are always those of the whole page, so
 * a selection-only reading names shapes exactly as `edit_board` will resolve them.
 */
export function readBoard(
  records: ReadonlyMap<string, TLRecord>,
  options: { pageId?: string; selection: readonly string[]; selectionOnly: boolean },
): BoardReading {
  const page = choosePage(records, options.pageId)
  const pages = pagesOf(records)
  if (!options.selectionOnly) {
    const board = describeBoard(records, { pageId: page.id, maxChars: BOARD_TEXT_MAX_CHARS })
    return { text: board.text, page, pages, items: board.items, selection: [...options.selection] }
  }
  const wanted = selectionScope(records, options.selection)
  const board = describeBoard(records, { pageId: page.id })
  const items = board.items.filter((item) => wanted.has(item.recordId))
  if (items.length === 0) {
    return {
      text: 'Nobody in the room has selected anything on this page.',
      page,
      pages,
      items,
      selection: [],
    }
  }
  const shortIds = new Set(items.map((item) => item.id))
  const lines = board.text.split('\n').filter((line) => shortIds.has(line.split(' ', 1)[0] ?? ''))
  let text = `${items.length} selected shape${items.length === 1 ? '' : 's'} and what they hold (id kind "label" at x,y size wxh style [in frame]):`
  let shown = 0
  for (const line of lines) {
    if (text.length + line.length + 48 > BOARD_TEXT_MAX_CHARS) break
    text += `\n${line}`
    shown++
  }
  if (shown < lines.length) text += `\n… and ${lines.length - shown} more shapes not listed`
  return { text, page, pages, items: items.slice(0, shown), selection: [...options.selection] }
}

export interface DrawioExport {
  xml: string
  page: PageSummary | undefined
  unmapped: UnmappedRecord[]
}

/** The draw.io file of the whole board, of one page, or of what people have selected (on the first page or `pageId`). */
export function exportBoard(
  records: ReadonlyMap<string, TLRecord>,
  options: { pageId?: string; selection: readonly string[]; selectionOnly: boolean },
): DrawioExport {
  const page =
    options.pageId !== undefined || options.selectionOnly ? choosePage(records, options.pageId) : undefined
  let subset: ReadonlyMap<string, TLRecord> = records
  if (options.selectionOnly) {
    const wanted = selectionScope(records, options.selection)
    if (wanted.size === 0) throw new BoardReadError('Nobody in the room has selected anything to export.')
    subset = new Map(
      [...records].filter(
        ([id, record]) => !(record.typeName === 'shape' || record.typeName === 'binding') || wanted.has(id),
      ),
    )
  }
  const exported = recordsToMxfile(subset, page ? { pageId: page.id } : {})
  return { xml: exported.xml, page, unmapped: exported.unmapped }
}
