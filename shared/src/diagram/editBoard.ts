/**
 * Edit operations (add, update, restyle, delete, connect, disconnect, move) applied to a board's
 * records, giving the records to put and the ids to remove. Ids are the short ids of
 * `describeBoard`, record ids, or ids of nodes added earlier in the same batch; anything that does
 * not resolve, or would make an invalid record, becomes a problem in words and changes nothing.
 * An edit that would put a page past MAX_SHAPES_PER_PAGE is refused whole with the error every
 * writer refuses with (`ShapeLimitError`).
 * Owns: what an edit means for records. Must not touch: Yjs, I/O, parsing untrusted input.
 */
import {
  type TLArrowBinding,
  type TLPageId,
  type TLRecord,
  type TLShape,
  type TLShapeId,
  toRichText,
} from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import { buildBoundArrow } from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import { pageOverLimit, ShapeLimitError } from '../document/shapeLimit'
import { findFreeSpace, pageBoxOf, pageOf } from './boardGeometry'
import { nodeSize } from './labelSize'
import type { Box } from './layout'
import { arrowBindingIds, jobShapeId } from './recordIds'
import type { EditOperation } from './spec'
import { geoFor } from './styleMap'
import { arrowheadsFor, nodeRecord } from './toRecords'

export interface EditOptions {
  /** Short ids from `describeBoard` → record ids. */
  shortIds: ReadonlyMap<string, TLShapeId>
  /** Prefix of the ids of records the edit creates (one per job), also their `meta.jobKey`. */
  keyPrefix: string
  /** The page new shapes go on. */
  pageId: TLPageId
}

export interface BoardEdit {
  /** New and changed records, each validated. */
  put: TLRecord[]
  /** Ids of records to delete. */
  remove: string[]
  problems: string[]
}

const isShape = (record: TLRecord | undefined): record is TLShape => record?.typeName === 'shape'
const centre = (box: Box) => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 })

/** Working copy of the board that records what an edit changed. */
class BoardDraft {
  readonly records: Map<string, TLRecord>
  readonly changed = new Map<string, TLRecord>()
  readonly removed = new Set<string>()
  private top: IndexKey | null = null

  constructor(
    input: Iterable<TLRecord>,
    private readonly pageId: string,
  ) {
    this.records = new Map([...input].map((record) => [record.id, record]))
    for (const record of this.records.values()) {
      if (isShape(record) && record.parentId === pageId && (!this.top || record.index > this.top)) {
        this.top = record.index
      }
    }
  }

  nextIndex(): IndexKey {
    this.top = getIndexAbove(this.top)
    return this.top
  }

  put(record: TLRecord): string | undefined {
    const checked = validateDocumentRecord(record)
    if (!checked.ok) return checked.error
    this.records.set(record.id, checked.record)
    this.changed.set(record.id, checked.record)
    this.removed.delete(record.id)
    return undefined
  }

  remove(id: string): void {
    this.records.delete(id)
    this.changed.delete(id)
    this.removed.add(id)
  }

  shapesOnPage(): TLShape[] {
    return [...this.records.values()].filter(
      (record): record is TLShape => isShape(record) && pageOf(record, this.records) === this.pageId,
    )
  }

  arrowBindings(): TLArrowBinding[] {
    return [...this.records.values()].filter(
      (record): record is TLArrowBinding => record.typeName === 'binding' && record.type === 'arrow',
    )
  }
}

/**
 * Applies `operations` in order; later operations see earlier ones. Pure; throws only a
 * ShapeLimitError, when the edit would grow a page past MAX_SHAPES_PER_PAGE (nothing is applied).
 */
export function applyEditOperations(
  records: Iterable<TLRecord>,
  operations: readonly EditOperation[],
  options: EditOptions,
): BoardEdit {
  const draft = new BoardDraft(records, options.pageId)
  const before = new Map(draft.records)
  const existed = new Set(draft.records.keys())
  const added = new Map<string, TLShapeId>()
  const problems: string[] = []
  const meta = { jobKey: options.keyPrefix }

  const resolve = (id: string, where: string): TLShape | undefined => {
    const recordId =
      options.shortIds.get(id) ?? added.get(id) ?? (id.startsWith('shape:') ? id : `shape:${id}`)
    const record = draft.records.get(recordId)
    if (isShape(record)) return record
    problems.push(`${where}: there is no shape "${id}" on the board`)
    return undefined
  }
  const putOrComplain = (record: TLRecord, where: string) => {
    const error = draft.put(record)
    if (error) problems.push(`${where}: ${error}`)
    return error === undefined
  }

  operations.forEach((operation, i) => {
    const where = `operation ${i + 1} (${operation.op})`
    switch (operation.op) {
      case 'add': {
        const node = operation.node
        const size = nodeSize(node.label, node.shape)
        const near = operation.near === undefined ? undefined : resolve(operation.near, where)
        // A `near` that names no shape is a problem like any unknown id: nothing is added.
        if (operation.near !== undefined && !near) return
        const occupied = draft
          .shapesOnPage()
          .filter((shape) => shape.type !== 'arrow')
          .map((shape) => pageBoxOf(shape, draft.records))
        const spot = findFreeSpace(occupied, size, near ? pageBoxOf(near, draft.records) : undefined)
        const id = jobShapeId(options.keyPrefix, 'node', node.id)
        const record = nodeRecord({
          id,
          node,
          box: { ...spot, ...size },
          parentId: options.pageId,
          index: draft.nextIndex(),
          meta,
        })
        if (putOrComplain(record, where)) added.set(node.id, id)
        return
      }
      case 'update': {
        const shape = resolve(operation.id, where)
        if (!shape) return
        const props = shape.props as Record<string, unknown>
        if (shape.type === 'frame')
          putOrComplain({ ...shape, props: { ...props, name: operation.label } } as TLShape, where)
        else if ('richText' in props) {
          putOrComplain(
            { ...shape, props: { ...props, richText: toRichText(operation.label) } } as TLShape,
            where,
          )
        } else problems.push(`${where}: a ${shape.type} has no label`)
        return
      }
      case 'restyle': {
        const shape = resolve(operation.id, where)
        if (!shape) return
        const props = { ...(shape.props as Record<string, unknown>) }
        const skipped: string[] = []
        let applied = 0
        const set = (key: string, value: unknown) => {
          if (value === undefined) return
          if (key in props) {
            props[key] = value
            applied++
          } else skipped.push(key)
        }
        set('color', operation.color)
        set('fill', operation.fill)
        set('dash', operation.dash)
        if (operation.shape !== undefined) {
          const geo = geoFor(operation.shape)
          if (shape.type === 'geo' && geo) {
            props.geo = geo
            applied++
          } else skipped.push(`shape ${operation.shape}`)
        }
        if (skipped.length > 0) problems.push(`${where}: a ${shape.type} has no ${skipped.join(', ')}`)
        // Nothing applicable asked for: the shape stays as it is and is not written back.
        if (applied > 0) putOrComplain({ ...shape, props } as TLShape, where)
        return
      }
      case 'delete': {
        const shape = resolve(operation.id, where)
        if (!shape) return
        // The shape, whatever it contains, the arrows tied to any of them, and their bindings.
        const doomed = new Set<string>([shape.id])
        let grew = true
        while (grew) {
          grew = false
          for (const record of draft.records.values()) {
            if (isShape(record) && doomed.has(record.parentId) && !doomed.has(record.id)) {
              doomed.add(record.id)
              grew = true
            }
          }
        }
        for (const binding of draft.arrowBindings()) if (doomed.has(binding.toId)) doomed.add(binding.fromId)
        for (const binding of draft.arrowBindings()) {
          if (doomed.has(binding.toId) || doomed.has(binding.fromId)) doomed.add(binding.id)
        }
        for (const id of doomed) draft.remove(id)
        return
      }
      case 'connect': {
        const from = resolve(operation.from, where)
        const to = resolve(operation.to, where)
        if (!from || !to) return
        if (from.id === to.id) {
          problems.push(`${where}: a shape cannot be connected to itself`)
          return
        }
        let id = jobShapeId(options.keyPrefix, 'edge', `${from.id}->${to.id}`)
        for (let n = 2; draft.records.has(id); n++) {
          id = jobShapeId(options.keyPrefix, 'edge', `${from.id}->${to.id}#${n}`)
        }
        const start = centre(pageBoxOf(from, draft.records))
        const end = centre(pageBoxOf(to, draft.records))
        const arrow = buildBoundArrow({
          id,
          from: { id: from.id, ...start },
          to: { id: to.id, ...end },
          index: draft.nextIndex(),
          parentId: options.pageId,
          kind: 'elbow',
          ...(operation.label ? { text: operation.label } : {}),
          ...(operation.dash ? { dash: operation.dash } : {}),
          ...arrowheadsFor(operation),
          bindingIds: arrowBindingIds(id),
          meta,
        })
        for (const record of arrow) putOrComplain(record, where)
        return
      }
      case 'disconnect': {
        const from = resolve(operation.from, where)
        const to = resolve(operation.to, where)
        if (!from || !to) return
        const ends = new Map<string, { start?: string; end?: string; bindings: string[] }>()
        for (const binding of draft.arrowBindings()) {
          const entry = ends.get(binding.fromId) ?? { bindings: [] }
          entry[binding.props.terminal] = binding.toId
          entry.bindings.push(binding.id)
          ends.set(binding.fromId, entry)
        }
        let cut = 0
        for (const [arrowId, entry] of ends) {
          const joins =
            (entry.start === from.id && entry.end === to.id) ||
            (entry.start === to.id && entry.end === from.id)
          if (!joins) continue
          draft.remove(arrowId)
          for (const id of entry.bindings) draft.remove(id)
          cut++
        }
        if (cut === 0) problems.push(`${where}: "${operation.from}" and "${operation.to}" are not connected`)
        return
      }
      case 'move': {
        const shape = resolve(operation.id, where)
        if (!shape) return
        putOrComplain({ ...shape, x: shape.x + operation.dx, y: shape.y + operation.dy }, where)
        return
      }
    }
  })

  // Like an import or a drawing, an edit may not grow a page past the limit: all of it is refused.
  const over = pageOverLimit(before, draft.records)
  if (over) throw new ShapeLimitError(over.onPage, over.adding)
  return {
    put: [...draft.changed.values()],
    remove: [...draft.removed].filter((id) => existed.has(id)),
    problems,
  }
}
