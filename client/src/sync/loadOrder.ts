/**
 * The order in which an opening board's records reach tldraw's store: the document, pages and
 * assets with the shapes around the first view (nearest its centre first, up to a budget), then
 * the rest, nearest first. Shapes travel in units — a shape on a page with everything under it —
 * so tldraw never holds a child without its frame, nor part of a group (it would dissolve it), and
 * a binding travels with its arrow and pulls in the shape at its other end. Pure: the loader
 * (`progressiveLoad.ts`) applies it. Must not touch: tldraw's store, the Y doc, the DOM.
 */
import { type Box, ShapeIndex, shapePageBounds, type TLRecord, unionBoxes } from '@drawbridge/shared'
import type { TLPage } from 'tldraw'

/** Shapes handed to tldraw before its first frame (every one's geometry and label is built then). */
export const FIRST_BATCH_SHAPES = 200

/** The page a person will see first and the part of it (page coordinates) their screen shows. */
export interface FirstView {
  pageId: string
  box: Box
}

export interface LoadPlan {
  /** Record ids for the first frame: document, pages, assets, then the first units and their needs. */
  first: string[]
  /** Top shapes of the units still to load, in order (re-read from the doc when their turn comes). */
  later: string[]
}

/** Shapes, their bindings and their units, over the records given (a board, or store + pending). */
export class LoadGraph {
  readonly records = new Map<string, TLRecord>()
  private readonly children = new Map<string, string[]>()
  private readonly arrowsBindings = new Map<string, string[]>()

  constructor(records: Iterable<TLRecord>) {
    for (const record of records) this.records.set(record.id, record)
    for (const record of this.records.values()) {
      if (record.typeName === 'shape') push(this.children, record.parentId, record.id)
      else if (record.typeName === 'binding') push(this.arrowsBindings, record.fromId, record.id)
    }
  }

  /** The top of a shape's unit: its ancestor whose parent is not a shape (cycles cut). */
  unitOf(id: string): string {
    const seen = new Set<string>([id])
    let current = id
    for (;;) {
      const record = this.records.get(current)
      const parent = record?.typeName === 'shape' ? this.records.get(record.parentId) : undefined
      if (parent?.typeName !== 'shape' || seen.has(parent.id)) return current
      seen.add(parent.id)
      current = parent.id
    }
  }

  /** How many shapes a shape sits in (0 for a unit's top). */
  depth(id: string): number {
    const seen = new Set<string>([id])
    for (let record = this.records.get(id); record?.typeName === 'shape'; ) {
      const parent = this.records.get(record.parentId)
      if (parent?.typeName !== 'shape' || seen.has(parent.id)) break
      seen.add(parent.id)
      record = parent
    }
    return seen.size - 1
  }

  /** A unit's shapes, each after its parent. */
  members(unit: string): string[] {
    const out: string[] = []
    const seen = new Set<string>()
    const stack = [unit]
    while (stack.length > 0) {
      const id = stack.pop() as string
      if (seen.has(id)) continue
      seen.add(id)
      out.push(id)
      for (const child of this.children.get(id) ?? []) stack.push(child)
    }
    return out
  }

  /** The bindings whose arrow (`fromId`) is this shape. */
  bindingsFrom(shapeId: string): string[] {
    return this.arrowsBindings.get(shapeId) ?? []
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/**
 * What to put so that the units of `shapeIds` are whole in the store: their shapes that
 * `needed` says are missing (parents first), then the missing bindings from their arrows — after
 * the units at the bindings' other ends, which are pulled in the same way.
 */
export function withDependencies(
  graph: LoadGraph,
  shapeIds: Iterable<string>,
  needed: (id: string) => boolean,
): string[] {
  const shapes: string[] = []
  const bindings: string[] = []
  const visited = new Set<string>()
  const queue = [...shapeIds]
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const unit = graph.unitOf(next)
    if (visited.has(unit) || !graph.records.has(unit)) continue
    visited.add(unit)
    for (const id of graph.members(unit)) {
      if (needed(id)) shapes.push(id)
      for (const bindingId of graph.bindingsFrom(id)) {
        const binding = graph.records.get(bindingId)
        if (!needed(bindingId) || binding?.typeName !== 'binding') continue
        bindings.push(bindingId)
        queue.push(binding.toId)
      }
    }
  }
  return [...shapes, ...bindings]
}

/** Orders records so each comes after what it needs: document, pages, assets, shapes (parents first), bindings. */
export function putOrder(records: readonly TLRecord[]): TLRecord[] {
  const graph = new LoadGraph(records)
  const rank = (record: TLRecord) => (record.typeName === 'binding' ? 2 : record.typeName === 'shape' ? 1 : 0)
  return [...records].sort((a, b) => rank(a) - rank(b) || graph.depth(a.id) - graph.depth(b.id))
}

/**
 * How far a box is from the view, in view half-sizes from its centre (≤ 1: the box is on screen).
 * A wide view counts its width and height alike, so what is on screen comes before what is not.
 */
export function viewDistance(box: Box | null, view: Box): number {
  if (!box) return Number.POSITIVE_INFINITY
  const cx = view.x + view.w / 2
  const cy = view.y + view.h / 2
  const dx = Math.max(box.x - cx, 0, cx - (box.x + box.w))
  const dy = Math.max(box.y - cy, 0, cy - (box.y + box.h))
  return Math.max(dx / Math.max(view.w / 2, 1), dy / Math.max(view.h / 2, 1))
}

/** The load plan of a board's (accepted) records for a first view. */
export function planLoad(
  records: readonly TLRecord[],
  view: FirstView,
  budget = FIRST_BATCH_SHAPES,
): LoadPlan {
  const graph = new LoadGraph(records)
  const index = new ShapeIndex(records)
  const pages = records.filter((record): record is TLPage => record.typeName === 'page')
  const pageOrder = new Map(
    pages
      .sort((a, b) => (a.id === view.pageId ? -1 : b.id === view.pageId ? 1 : a.index < b.index ? -1 : 1))
      .map((page, order) => [page.id as string, order]),
  )
  const units = records
    .filter((record) => record.typeName === 'shape' && graph.unitOf(record.id) === record.id)
    .map((top) => {
      const members = graph.members(top.id)
      const boxes = members.flatMap((id) => {
        const shape = index.shapes.get(id)
        const box = shape ? shapePageBounds(index, shape) : null
        return box ? [box] : []
      })
      const page = top.typeName === 'shape' ? top.parentId : ''
      return {
        id: top.id,
        size: members.length,
        page: pageOrder.get(page) ?? pageOrder.size,
        distance: viewDistance(unionBoxes(boxes), view.box),
      }
    })
    .sort((a, b) => a.page - b.page || a.distance - b.distance || (a.id < b.id ? -1 : 1))

  let taken = 0
  for (let shapes = 0; taken < units.length && shapes < budget; taken++) shapes += units[taken]?.size ?? 0
  const firstShapes = withDependencies(
    graph,
    units.slice(0, taken).map((unit) => unit.id),
    () => true,
  )
  const others = records.filter((record) => record.typeName !== 'shape' && record.typeName !== 'binding')
  const inFirst = new Set(firstShapes)
  return {
    first: [...others.map((record) => record.id), ...firstShapes],
    later: units.slice(taken).flatMap((unit) => (inFirst.has(unit.id) ? [] : [unit.id])),
  }
}
