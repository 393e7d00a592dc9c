/**
 * The board as compact text for a model: one line per shape (short id, kind, label, position,
 * size, style, parent frame), one per arrow (what it connects), and the selection as focus, within
 * a character budget. Short ids (`s1`, `s2`, …) map back to record ids for edit operations.
 * Owns: that description. Must not touch: prompts, Yjs, I/O.
 */
import type { TLArrowBinding, TLRecord, TLShape, TLShapeId } from '@tldraw/tlschema'
import { richTextToPlain } from '../drawio/richText'
import { pageBoxOf, pageOf } from './boardGeometry'

/** One listed shape as data: what its line in `text` says. */
export type BoardItem =
  | {
      id: string
      recordId: TLShapeId
      kind: string
      label: string
      x: number
      y: number
      w: number
      h: number
      style: string
      /** Short id of the frame holding it. */
      parent?: string
    }
  | {
      id: string
      recordId: TLShapeId
      kind: 'arrow'
      label: string
      /** Short ids of what the arrow connects (`free` when unbound, `off-page`). */
      from: string
      to: string
    }

export interface BoardDescription {
  text: string
  /** Short id (`s3`) → record id. */
  shortIds: Map<string, TLShapeId>
  /** The shapes listed in `text`, as data, in the same order. */
  items: BoardItem[]
}

export interface DescribeOptions {
  /** Shape ids in focus (described first, named at the end). */
  selection?: readonly string[]
  /** The page to describe; the first page by index when left out. */
  pageId?: string
  /** Budget for the whole text; shapes beyond it are counted, not listed. */
  maxChars?: number
}

const LABEL_CHARS = 80

/** A shape's visible text: label, text, note text, arrow label or frame name. */
export function labelOf(shape: TLShape): string {
  const props = shape.props as { richText?: unknown; name?: unknown; text?: unknown }
  if (props.richText) return richTextToPlain(props.richText as never)
  if (typeof props.name === 'string') return props.name
  if (typeof props.text === 'string') return props.text
  return ''
}

function kindOf(shape: TLShape): string {
  if (shape.type === 'geo') return String((shape.props as { geo?: unknown }).geo ?? 'rectangle')
  return shape.type
}

const quoted = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return JSON.stringify(flat.length > LABEL_CHARS ? `${flat.slice(0, LABEL_CHARS - 1)}…` : flat)
}

function styleOf(shape: TLShape): string {
  const props = shape.props as { color?: unknown; fill?: unknown; dash?: unknown }
  return [props.color, props.fill && props.fill !== 'none' ? `fill ${props.fill}` : '', props.dash]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ')
}

function firstPage(records: ReadonlyMap<string, TLRecord>): string | undefined {
  let best: { id: string; index: string } | undefined
  for (const record of records.values()) {
    if (record.typeName !== 'page') continue
    if (!best || record.index < best.index) best = { id: record.id, index: record.index }
  }
  return best?.id
}

/** Describes the shapes of one page of `records`. Pure; never throws on odd records. */
export function describeBoard(
  input: Iterable<TLRecord> | ReadonlyMap<string, TLRecord>,
  options: DescribeOptions = {},
): BoardDescription {
  const records: ReadonlyMap<string, TLRecord> =
    input instanceof Map ? input : new Map([...(input as Iterable<TLRecord>)].map((r) => [r.id, r]))
  const pageId = options.pageId ?? firstPage(records)
  const selected = new Set(options.selection ?? [])
  const shapes = [...records.values()]
    .filter((record): record is TLShape => record.typeName === 'shape')
    .filter((shape) => pageOf(shape, records) === pageId)
    .sort((a, b) => {
      const focus = Number(selected.has(b.id)) - Number(selected.has(a.id))
      return focus !== 0 ? focus : a.index < b.index ? -1 : a.index > b.index ? 1 : 0
    })
  const shortIds = new Map<string, TLShapeId>()
  const shortOf = new Map<string, string>()
  for (const shape of shapes) {
    const short = `s${shortIds.size + 1}`
    shortIds.set(short, shape.id)
    shortOf.set(shape.id, short)
  }
  const ends = new Map<string, { start?: string; end?: string }>()
  for (const record of records.values()) {
    if (record.typeName !== 'binding' || record.type !== 'arrow') continue
    const binding = record as TLArrowBinding
    const entry = ends.get(binding.fromId) ?? {}
    entry[binding.props.terminal] = shortOf.get(binding.toId) ?? 'off-page'
    ends.set(binding.fromId, entry)
  }

  const lines: string[] = []
  const allItems: BoardItem[] = []
  for (const shape of shapes) {
    const short = shortOf.get(shape.id)!
    const label = labelOf(shape)
    if (shape.type === 'arrow') {
      const end = ends.get(shape.id) ?? {}
      const [from, to] = [end.start ?? 'free', end.end ?? 'free']
      allItems.push({ id: short, recordId: shape.id, kind: 'arrow', label, from, to })
      lines.push(`${short} arrow ${from} -> ${to}${label ? ` ${quoted(label)}` : ''}`)
      continue
    }
    const box = pageBoxOf(shape, records)
    const parent = shortOf.get(shape.parentId)
    const style = styleOf(shape)
    const rounded = { x: Math.round(box.x), y: Math.round(box.y), w: Math.round(box.w), h: Math.round(box.h) }
    allItems.push({ id: short, recordId: shape.id, kind: kindOf(shape), label, ...rounded, style, parent })
    lines.push(
      `${short} ${kindOf(shape)}${label ? ` ${quoted(label)}` : ''} at ${Math.round(box.x)},${Math.round(box.y)}` +
        ` size ${Math.round(box.w)}x${Math.round(box.h)}${style ? ` ${style}` : ''}${parent ? ` in ${parent}` : ''}`,
    )
  }

  const budget = options.maxChars ?? Number.POSITIVE_INFINITY
  const header =
    shapes.length === 0
      ? 'The board is empty.'
      : `${shapes.length} shape${shapes.length === 1 ? '' : 's'} (id kind "label" at x,y size wxh style [in frame]):`
  const focus = [...selected].map((id) => shortOf.get(id)).filter((id): id is string => !!id)
  const footer = focus.length > 0 ? `Selected (the user's focus): ${focus.join(', ')}` : ''
  let text = header
  let shown = 0
  for (const line of lines) {
    if (text.length + line.length + footer.length + 48 > budget) break
    text += `\n${line}`
    shown++
  }
  if (shown < lines.length) text += `\n… and ${lines.length - shown} more shapes not listed`
  if (footer) text += `\n${footer}`
  return { text, shortIds, items: allItems.slice(0, shown) }
}
