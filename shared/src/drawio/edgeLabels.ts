/**
 * Where an edge's labels go. draw.io puts a label at a relative place along the edge (geometry x
 * in [-1, 1], 0 = the middle), y px to the side of it, shifted by its `offset` point; the label
 * may be the edge's own `value` or an `edgeLabel` child. The main label becomes the tldraw
 * arrow's own label at `labelPosition` (0..1 along it); every further label becomes a text
 * shape beside the edge, moved sideways until it overlaps neither the arrow's label nor another.
 * Owns: that geometry. Must not touch: records, styles beyond the font size.
 */
import type { Box, Point } from './geometry'
import { LINE_HEIGHT } from './geometry'

/** One label of an edge, as the file places it. */
export interface EdgeLabelPlace {
  /** Plain text (for the size estimate). */
  text: string
  fontSize: number
  /** draw.io relative position along the edge, -1..1. */
  x: number
  /** Distance to the side of the edge, px. */
  y: number
  offset?: Point
}

/** Average glyph width of Helvetica relative to the font size (for estimates only). */
const GLYPH_WIDTH = 0.6
/** Room kept between two labels, px. */
const LABEL_GAP = 4
const MAX_SHIFTS = 50
/** tldraw 5.4.2 arrow labels: padding inside the label box and kept to the arrow's ends (× scale). */
const ARROW_LABEL_PADDING = 4.25
const LABEL_TO_ARROW_PADDING = 20
/** tldraw's `s` arrow label size (px at scale 1). */
const ARROW_LABEL_PX = 18

/** tldraw's labelPosition for draw.io's relative x. */
export function labelPositionOf(x: number): number {
  return Math.min(1, Math.max(0, (x + 1) / 2))
}

/** The point at fraction `t` (0..1) of a polyline's length, and the unit normal there. */
export function pointAlong(path: readonly Point[], t: number): { point: Point; normal: Point } {
  const lengths: number[] = []
  let total = 0
  for (let i = 1; i < path.length; i += 1) {
    const d = Math.hypot(path[i]!.x - path[i - 1]!.x, path[i]!.y - path[i - 1]!.y)
    lengths.push(d)
    total += d
  }
  const first = path[0] ?? { x: 0, y: 0 }
  if (total === 0) return { point: first, normal: { x: 0, y: 1 } }
  let rest = Math.min(1, Math.max(0, t)) * total
  for (let i = 1; i < path.length; i += 1) {
    const d = lengths[i - 1]!
    if (rest <= d || i === path.length - 1) {
      const a = path[i - 1]!
      const b = path[i]!
      const f = d === 0 ? 0 : Math.min(1, rest / d)
      const normal = d === 0 ? { x: 0, y: 1 } : { x: -(b.y - a.y) / d, y: (b.x - a.x) / d }
      return { point: { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f }, normal }
    }
    rest -= d
  }
  return { point: first, normal: { x: 0, y: 1 } }
}

function pathLength(path: readonly Point[]): number {
  let total = 0
  for (let i = 1; i < path.length; i += 1)
    total += Math.hypot(path[i]!.x - path[i - 1]!.x, path[i]!.y - path[i - 1]!.y)
  return total
}

/** A label's estimated box (px), from its longest line and line count. */
export function labelSize(text: string, fontSize: number): { w: number; h: number } {
  const lines = text.split('\n')
  const longest = Math.max(1, ...lines.map((line) => line.length))
  return { w: longest * fontSize * GLYPH_WIDTH + fontSize, h: lines.length * fontSize * LINE_HEIGHT }
}

/** Where the segment from `inside` towards `outside` leaves `box` (the arrow starts at the outline). */
function exitPoint(inside: Point, outside: Point, box: Box): Point {
  const dx = outside.x - inside.x
  const dy = outside.y - inside.y
  let t = 1
  if (dx > 0) t = Math.min(t, (box.x + box.w - inside.x) / dx)
  if (dx < 0) t = Math.min(t, (box.x - inside.x) / dx)
  if (dy > 0) t = Math.min(t, (box.y + box.h - inside.y) / dy)
  if (dy < 0) t = Math.min(t, (box.y - inside.y) / dy)
  t = Math.max(0, t)
  return { x: inside.x + dx * t, y: inside.y + dy * t }
}

/** An edge's path cut at the outlines of the boxes it starts and ends in, as arrows are drawn. */
export function visiblePath(path: readonly Point[], startBox?: Box, endBox?: Box): Point[] {
  const out = [...path]
  if (out.length < 2) return out
  if (startBox) out[0] = exitPoint(out[0]!, out[1]!, startBox)
  if (endBox) out[out.length - 1] = exitPoint(out[out.length - 1]!, out[out.length - 2]!, endBox)
  return out
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

function centred(centre: Point, size: { w: number; h: number }): Box {
  return { x: centre.x - size.w / 2, y: centre.y - size.h / 2, w: size.w, h: size.h }
}

/**
 * Boxes for the further labels of one edge (`others`, in order), given the main label that the
 * arrow draws itself. None of the returned boxes overlaps the main label or another.
 */
export function placeExtraLabels(
  path: readonly Point[],
  main: EdgeLabelPlace | undefined,
  others: readonly EdgeLabelPlace[],
): Box[] {
  const taken: Box[] = []
  if (main) {
    // Where tldraw really draws the arrow's label: it keeps the label box clear of the arrow's
    // ends, so on a short arrow the label moves towards the middle.
    const scale = main.fontSize / ARROW_LABEL_PX
    const text = labelSize(main.text, main.fontSize)
    const size = { w: text.w + 2 * ARROW_LABEL_PADDING * scale, h: text.h + 2 * ARROW_LABEL_PADDING * scale }
    const first = path[0] ?? { x: 0, y: 0 }
    const last = path[path.length - 1] ?? first
    const horizontal = Math.abs(last.x - first.x) >= Math.abs(last.y - first.y)
    const length = pathLength(path)
    const reserve =
      length === 0 ? 0.5 : ((horizontal ? size.w : size.h) / 2 + LABEL_TO_ARROW_PADDING * scale) / length
    const t = reserve >= 0.5 ? 0.5 : Math.min(1 - reserve, Math.max(reserve, labelPositionOf(main.x)))
    taken.push(centred(pointAlong(path, t).point, size))
  }
  const placed: Box[] = []
  for (const label of others) {
    const at = pointAlong(path, labelPositionOf(label.x))
    const size = labelSize(label.text, label.fontSize)
    const side = label.y < 0 ? -1 : 1
    const centre = {
      x: at.point.x + at.normal.x * label.y + (label.offset?.x ?? 0),
      y: at.point.y + at.normal.y * label.y + (label.offset?.y ?? 0),
    }
    let box = centred(centre, size)
    // Step sideways (away from the edge on the label's side; straight down on a vertical edge's
    // normal of zero length) until the box is clear of every label already there.
    const step = Math.abs(at.normal.y) > Math.abs(at.normal.x) ? { x: 0, y: side } : { x: side, y: 0 }
    for (let i = 0; i < MAX_SHIFTS && taken.some((other) => overlaps(box, other)); i += 1) {
      const blocker = taken.find((other) => overlaps(box, other))!
      const dx = step.x > 0 ? blocker.x + blocker.w - box.x : step.x < 0 ? box.x + box.w - blocker.x : 0
      const dy = step.y > 0 ? blocker.y + blocker.h - box.y : step.y < 0 ? box.y + box.h - blocker.y : 0
      box = { ...box, x: box.x + step.x * (dx + LABEL_GAP), y: box.y + step.y * (dy + LABEL_GAP) }
    }
    taken.push(box)
    placed.push(box)
  }
  return placed
}
