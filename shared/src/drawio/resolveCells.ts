/**
 * The structure of one page's raw cells: the root (the one cell without a parent), layers (its
 * children), parent chains checked for missing parents, cycles and depth, and each vertex's
 * absolute box. Must not touch: records, styles beyond reading geometry.
 */
import type { Box, Point } from './geometry'
import { IMPORT_LIMITS, type RawCell } from './limits'

export interface ResolvedPage {
  cells: ReadonlyMap<string, RawCell>
  /** Cells in file order (draw.io's z-order), without root and layers. */
  content: RawCell[]
  /** Absolute box of every vertex (offset by the import origin). */
  boxes: ReadonlyMap<string, Box>
  /** Absolute origin of each cell's coordinate space (its parent vertex, or the page origin). */
  parentOrigin(cell: RawCell): Point
}

export type ResolveResult = { ok: true; page: ResolvedPage } | { ok: false; error: string }

function quote(id: string): string {
  return JSON.stringify(id.slice(0, 64))
}

/** Checks ids, parents and terminals, then computes absolute boxes; never throws. */
export function resolveCells(raw: readonly RawCell[], origin: Point): ResolveResult {
  const cells = new Map<string, RawCell>()
  for (const cell of raw) {
    if (cells.has(cell.id)) return { ok: false, error: `cell id ${quote(cell.id)} is used twice on one page` }
    cells.set(cell.id, cell)
  }
  const roots = raw.filter((cell) => cell.parent === undefined)
  if (roots.length !== 1)
    return { ok: false, error: `a page needs exactly one root cell (without parent), found ${roots.length}` }
  const root = roots[0]!
  const depth = new Map<string, number>([[root.id, 0]])
  for (const cell of raw) {
    const chain: string[] = []
    let current: RawCell | undefined = cell
    while (current && !depth.has(current.id)) {
      if (chain.includes(current.id))
        return { ok: false, error: `cell ${quote(current.id)} is its own ancestor (cycle in parent)` }
      chain.push(current.id)
      if (chain.length > IMPORT_LIMITS.maxDepth)
        return { ok: false, error: `cells nest deeper than ${IMPORT_LIMITS.maxDepth} levels` }
      const parentId: string | undefined = current.parent
      current = parentId === undefined ? undefined : cells.get(parentId)
      if (!current)
        return {
          ok: false,
          error: `cell ${quote(chain[chain.length - 1]!)} has a missing parent ${quote(parentId ?? '')}`,
        }
    }
    let level = depth.get(current!.id)!
    for (const id of chain.reverse()) depth.set(id, ++level)
    if (level > IMPORT_LIMITS.maxDepth)
      return { ok: false, error: `cells nest deeper than ${IMPORT_LIMITS.maxDepth} levels` }
  }
  for (const cell of raw) {
    for (const end of [cell.source, cell.target]) {
      if (end !== undefined && !cells.has(end))
        return { ok: false, error: `edge ${quote(cell.id)} points to a missing cell ${quote(end)}` }
    }
  }
  // Layers are the root's plain children; a vertex or edge hung directly on the root is content.
  const layers = new Set(
    raw.filter((cell) => cell.parent === root.id && !cell.vertex && !cell.edge).map((cell) => cell.id),
  )
  const boxes = new Map<string, Box>()
  const originOf = (cell: RawCell): Point => {
    const parent = cell.parent === undefined ? undefined : cells.get(cell.parent)
    if (!parent || parent.id === root.id || layers.has(parent.id) || !parent.vertex) return origin
    const box = boxOf(parent)
    return { x: box.x, y: box.y }
  }
  const boxOf = (cell: RawCell): Box => {
    const known = boxes.get(cell.id)
    if (known) return known
    const g = cell.geometry
    const base = originOf(cell)
    const parent = cell.parent === undefined ? undefined : cells.get(cell.parent)
    const parentBox = parent?.vertex && !layers.has(parent.id) ? boxOf(parent) : undefined
    const box =
      g.relative && parentBox
        ? { x: base.x + g.x * parentBox.w, y: base.y + g.y * parentBox.h, w: g.width, h: g.height }
        : { x: base.x + g.x, y: base.y + g.y, w: g.width, h: g.height }
    boxes.set(cell.id, box)
    return box
  }
  for (const cell of raw) if (cell.vertex) boxOf(cell)
  const content = raw.filter((cell) => cell.id !== root.id && !layers.has(cell.id))
  return { ok: true, page: { cells, content, boxes, parentOrigin: originOf } }
}
