/**
 * Where shapes already on a board are, in page coordinates: boxes of geo, note, text, frame,
 * image and arrow records (parents' offsets added, rotation ignored), and a free spot for
 * something new beside them that overlaps nothing. Owns: that geometry. Must not touch: Yjs, I/O.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { unionBoxes } from '../drawio/geometry'
import { NOTE_SIDE } from './labelSize'
import type { Box, Point } from './layout'

/** Space kept between a new drawing and what is already there. */
export const FREE_SPACE_GAP = 80

const isShape = (record: TLRecord | undefined): record is TLShape => record?.typeName === 'shape'

/** A shape's own size (text without a width, and other unknowns, count as 100 × 40). */
function sizeOf(shape: TLShape): { w: number; h: number } {
  const props = shape.props as Record<string, unknown>
  const scale = typeof props.scale === 'number' ? props.scale : 1
  if (shape.type === 'note') {
    const growY = typeof props.growY === 'number' ? props.growY : 0
    return { w: NOTE_SIDE * scale, h: (NOTE_SIDE + growY) * scale }
  }
  if (shape.type === 'arrow') {
    const start = props.start as Point
    const end = props.end as Point
    return { w: Math.abs(end.x - start.x), h: Math.abs(end.y - start.y) }
  }
  const w = typeof props.w === 'number' ? props.w : 100
  const h = typeof props.h === 'number' ? props.h : 40
  return { w: w * (shape.type === 'text' ? scale : 1), h: h * (shape.type === 'text' ? scale : 1) }
}

/** The page position of a shape's parent (frames and groups nest; a cycle stops the walk). */
function parentOffset(shape: TLShape, records: ReadonlyMap<string, TLRecord>): Point {
  let x = 0
  let y = 0
  const seen = new Set<string>([shape.id])
  let parent = records.get(shape.parentId)
  while (isShape(parent) && !seen.has(parent.id)) {
    seen.add(parent.id)
    x += parent.x
    y += parent.y
    parent = records.get(parent.parentId)
  }
  return { x, y }
}

/** The page-space box of `shape`. */
export function pageBoxOf(shape: TLShape, records: ReadonlyMap<string, TLRecord>): Box {
  const offset = parentOffset(shape, records)
  const size = sizeOf(shape)
  if (shape.type === 'arrow') {
    const props = shape.props as unknown as { start: Point; end: Point }
    const x = shape.x + offset.x + Math.min(props.start.x, props.end.x)
    const y = shape.y + offset.y + Math.min(props.start.y, props.end.y)
    return { x, y, ...size }
  }
  return { x: shape.x + offset.x, y: shape.y + offset.y, ...size }
}

/** The page a shape is on (walking up through frames and groups). */
export function pageOf(shape: TLShape, records: ReadonlyMap<string, TLRecord>): string | undefined {
  const seen = new Set<string>()
  let current: TLRecord | undefined = shape
  while (isShape(current) && !seen.has(current.id)) {
    seen.add(current.id)
    current = records.get(current.parentId)
  }
  return current?.typeName === 'page' ? current.id : undefined
}

/** The smallest box holding every box, or undefined for none. */
export function unionOf(boxes: readonly Box[]): Box | undefined {
  return unionBoxes(boxes) ?? undefined
}

const overlaps = (a: Box, b: Box, gap: number) =>
  a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap

/**
 * The top-left of a `size` box that overlaps none of `occupied` (keeping `FREE_SPACE_GAP` away):
 * beside `near` when given (right, below, left, above — the first that is free), otherwise beside
 * the whole board's content, to its right. An empty board puts it at `near` or the origin.
 */
export function findFreeSpace(occupied: readonly Box[], size: { w: number; h: number }, near?: Box): Point {
  const content = unionOf(occupied)
  if (!content) return near ? { x: near.x, y: near.y } : { x: 0, y: 0 }
  const anchor = near ?? content
  const gap = FREE_SPACE_GAP
  const isFree = (spot: Point) => {
    const box = { x: spot.x, y: spot.y, w: size.w, h: size.h }
    return occupied.every((other) => !overlaps(box, other, gap - 1))
  }
  // Ring after ring around the anchor: each ring steps one more box-width (or height) away.
  for (let ring = 0; ring < 12; ring++) {
    const dx = ring * (size.w + gap)
    const dy = ring * (size.h + gap)
    const candidates: Point[] = [
      { x: anchor.x + anchor.w + gap + dx, y: anchor.y },
      { x: anchor.x, y: anchor.y + anchor.h + gap + dy },
      { x: anchor.x - size.w - gap - dx, y: anchor.y },
      { x: anchor.x, y: anchor.y - size.h - gap - dy },
      { x: anchor.x + anchor.w + gap + dx, y: anchor.y + anchor.h + gap + dy },
    ]
    const free = candidates.find(isFree)
    if (free) return free
  }
  // Always free: to the right of everything.
  return { x: content.x + content.w + gap, y: anchor.y }
}

/** A drawing keeps this share of the view's shorter side away from its edges. */
const VIEW_MARGIN_RATIO = 0.04
/** At most this many candidate spots per axis when searching a view. */
const VIEW_GRID_STEPS = 40

/** Whether `inner` lies wholly inside `outer`. */
export function containsBox(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  )
}

/** Whether a `size` box at `spot` keeps `FREE_SPACE_GAP` from every one of `occupied`. */
function freeAt(occupied: readonly Box[], size: { w: number; h: number }, spot: Point): boolean {
  const box = { x: spot.x, y: spot.y, w: size.w, h: size.h }
  return occupied.every((other) => !overlaps(box, other, FREE_SPACE_GAP - 1))
}

/** Spots for a `size` box on a grid over `area` (top-lefts), nearest to `centre` first. */
function gridSpots(area: Box, size: { w: number; h: number }, centre: Point): Point[] {
  const spanX = Math.max(0, area.w - size.w)
  const spanY = Math.max(0, area.h - size.h)
  const stepsX = Math.min(VIEW_GRID_STEPS, Math.ceil(spanX / 10))
  const stepsY = Math.min(VIEW_GRID_STEPS, Math.ceil(spanY / 10))
  const spots: Point[] = []
  for (let i = 0; i <= stepsX; i++) {
    for (let j = 0; j <= stepsY; j++) {
      spots.push({
        x: area.x + (stepsX === 0 ? spanX / 2 : (spanX * i) / stepsX),
        y: area.y + (stepsY === 0 ? spanY / 2 : (spanY * j) / stepsY),
      })
    }
  }
  const distance = (spot: Point) =>
    (spot.x + size.w / 2 - centre.x) ** 2 + (spot.y + size.h / 2 - centre.y) ** 2
  return spots.sort((a, b) => distance(a) - distance(b))
}

/**
 * The top-left of a `size` box that overlaps none of `occupied`, where the person looking at
 * `view` sees it: inside the view when it fits there (beside `near`, the selection, when that is
 * free; else as close to the view's centre as free space allows), otherwise next to the view,
 * as close to its centre as possible; failing all that, beside the board's content.
 */
export function findSpaceInView(
  occupied: readonly Box[],
  size: { w: number; h: number },
  view: Box,
  near?: Box,
): Point {
  const margin = Math.min(view.w, view.h) * VIEW_MARGIN_RATIO
  const inner = { x: view.x + margin, y: view.y + margin, w: view.w - 2 * margin, h: view.h - 2 * margin }
  const centre = { x: view.x + view.w / 2, y: view.y + view.h / 2 }
  const fits = size.w <= inner.w && size.h <= inner.h
  // Only what is near the search area can be in the way.
  const reach = {
    x: view.x - 2 * size.w,
    y: view.y - 2 * size.h,
    w: view.w + 4 * size.w,
    h: view.h + 4 * size.h,
  }
  const nearby = occupied.filter((box) => overlaps(box, reach, FREE_SPACE_GAP))
  if (near) {
    const gap = FREE_SPACE_GAP
    const beside: Point[] = [
      { x: near.x + near.w + gap, y: near.y },
      { x: near.x, y: near.y + near.h + gap },
      { x: near.x - size.w - gap, y: near.y },
      { x: near.x, y: near.y - size.h - gap },
    ]
    const spot = beside.find(
      (candidate) => containsBox(inner, { ...candidate, ...size }) && freeAt(nearby, size, candidate),
    )
    if (spot) return spot
  }
  if (fits) {
    const spot = gridSpots(inner, size, centre).find((candidate) => freeAt(nearby, size, candidate))
    if (spot) return spot
  }
  const around = gridSpots(reach, size, centre).find((candidate) => freeAt(nearby, size, candidate))
  if (around) return around
  return findFreeSpace(occupied, size, near ?? view)
}
