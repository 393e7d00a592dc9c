/**
 * tldraw arrows, lines and freehand strokes → draw.io edges. Bound ends become `source`/`target`
 * (with the anchor as exit/entry point when precise), free ends `sourcePoint`/`targetPoint`, a
 * bend one curved waypoint; lines and drawings an unconnected edge through their points.
 * Must not touch: vertex mapping, page layout.
 */
import { b64Vecs, type TLArrowBinding, type TLShape } from '@tldraw/tlschema'
import {
  CLOSED_HINT_KEY,
  dashEntries,
  type Entries,
  FILL_HINT_KEY,
  fontEntries,
  SHAPE_HINT_KEY,
  strokeEntries,
} from './exportStyles'
import { type Point, type ShapeIndex, toPage } from './geometry'
import { ARROW_LABEL_FONT_SIZES, STROKE_WIDTHS } from './palette'
import { richTextToHtml } from './richText'

export interface Edge {
  style: Entries
  label: string
  source?: string
  target?: string
  points: Point[]
  sourcePoint: Point
  targetPoint: Point
  /** Label position along the edge, draw.io's relative geometry x in [-1, 1]. */
  labelX: number
}

/** tldraw arrowhead → draw.io arrow name and whether it is filled. */
export const ARROWHEADS: Readonly<Record<string, readonly [string, '0' | '1']>> = {
  none: ['none', '0'],
  arrow: ['open', '0'],
  triangle: ['block', '1'],
  inverted: ['block', '0'],
  square: ['box', '1'],
  dot: ['oval', '1'],
  diamond: ['diamond', '1'],
  pipe: ['dash', '0'],
  bar: ['ERone', '0'],
}
/** Highlights are written this many times wider than their tldraw stroke, at half opacity. */
export const HIGHLIGHT_WIDTH_FACTOR = 2
const HIGHLIGHT_OPACITY_PERCENT = 50
/** Freehand strokes keep at most this many points (evenly sampled). */
export const MAX_POLYLINE_POINTS = 500

export type ArrowBindings = { start?: TLArrowBinding; end?: TLArrowBinding }

function boundPoint(
  binding: TLArrowBinding,
  index: ShapeIndex,
  size: (s: TLShape) => { w: number; h: number },
): Point | null {
  const shape = index.shapes.get(binding.toId)
  if (!shape) return null
  const { w, h } = size(shape)
  const anchor = binding.props.normalizedAnchor
  return toPage(index.transform(shape), { x: anchor.x * w, y: anchor.y * h })
}

/** The arc's middle point for a tldraw bend (same convention as tldraw's curved arrows). */
export function bendPoint(start: Point, end: Point, bend: number): Point | null {
  const dx = end.x - start.x
  const dy = end.y - start.y
  const length = Math.hypot(dx, dy)
  if (bend === 0 || length === 0) return null
  return { x: (start.x + end.x) / 2 - (dy / length) * bend, y: (start.y + end.y) / 2 + (dx / length) * bend }
}

export function arrowEdge(
  shape: Extract<TLShape, { type: 'arrow' }>,
  bindings: ArrowBindings,
  index: ShapeIndex,
  cellIdOf: (shapeId: string) => string | undefined,
  size: (s: TLShape) => { w: number; h: number },
): Edge {
  const p = shape.props
  const transform = index.transform(shape)
  const ends = (['start', 'end'] as const).map((terminal) => {
    const binding = bindings[terminal]
    const cell = binding ? cellIdOf(binding.toId) : undefined
    const point = (binding && cell && boundPoint(binding, index, size)) || toPage(transform, p[terminal])
    const precise = binding && (binding.props.isPrecise || binding.props.isExact)
    return { cell, point, anchor: precise ? binding.props.normalizedAnchor : undefined }
  })
  const [start, end] = ends as [(typeof ends)[0], (typeof ends)[0]]
  const [startName, startFill] = ARROWHEADS[p.arrowheadStart] ?? ['none', '0']
  const [endName, endFill] = ARROWHEADS[p.arrowheadEnd] ?? ['open', '0']
  const middle = p.kind === 'arc' ? bendPoint(start.point, end.point, p.bend) : null
  return {
    style: [
      ['html', '1'],
      p.kind === 'elbow' ? ['edgeStyle', 'orthogonalEdgeStyle'] : ['rounded', '0'],
      ['curved', middle ? '1' : undefined],
      ['startArrow', startName],
      ['startFill', startFill],
      ['endArrow', endName],
      ['endFill', endFill],
      ['exitX', start.anchor?.x],
      ['exitY', start.anchor?.y],
      ['entryX', end.anchor?.x],
      ['entryY', end.anchor?.y],
      ...strokeEntries(p.color, STROKE_WIDTHS[p.size] * p.scale),
      ...dashEntries(p.dash),
      ...fontEntries(p.labelColor, p.font, p.size, ARROW_LABEL_FONT_SIZES, p.scale),
    ],
    label: richTextToHtml(p.richText),
    source: start.cell,
    target: end.cell,
    points: middle ? [middle] : [],
    sourcePoint: start.point,
    targetPoint: end.point,
    labelX: p.labelPosition * 2 - 1,
  }
}

function sample(points: Point[]): Point[] {
  if (points.length <= MAX_POLYLINE_POINTS) return points
  const step = (points.length - 1) / (MAX_POLYLINE_POINTS - 1)
  return Array.from({ length: MAX_POLYLINE_POINTS }, (_, i) => points[Math.round(i * step)]!)
}

function polyline(points: Point[], kind: string, curved: boolean, style: Entries): Edge | null {
  if (points.length < 2) return null
  return {
    style: [
      ['html', '1'],
      ['endArrow', 'none'],
      ['startArrow', 'none'],
      ['curved', curved ? '1' : '0'],
      [SHAPE_HINT_KEY, kind],
      ...style,
    ],
    label: '',
    points: points.slice(1, -1),
    sourcePoint: points[0]!,
    targetPoint: points[points.length - 1]!,
    labelX: 0,
  }
}

/** Freehand draw and highlight strokes as an unconnected curved edge through their points. */
export function strokeEdge(
  shape: Extract<TLShape, { type: 'draw' | 'highlight' }>,
  index: ShapeIndex,
): Edge | null {
  const p = shape.props
  const transform = index.transform(shape)
  const scaleX = 'scaleX' in p ? p.scaleX : 1
  const scaleY = 'scaleY' in p ? p.scaleY : 1
  const local = p.segments.flatMap((segment) => b64Vecs.decodePoints(segment.path, segment.dim))
  const page = sample(local).map((point) =>
    toPage(transform, { x: point.x * p.scale * scaleX, y: point.y * p.scale * scaleY }),
  )
  if (page.length === 1) page.push({ ...page[0]! })
  const closed = shape.type === 'draw' && shape.props.isClosed
  const extra: Entries =
    shape.type === 'highlight'
      ? [
          ['opacity', HIGHLIGHT_OPACITY_PERCENT],
          ...strokeEntries(p.color, STROKE_WIDTHS[p.size] * p.scale * HIGHLIGHT_WIDTH_FACTOR),
        ]
      : [
          ...strokeEntries(p.color, STROKE_WIDTHS[p.size] * p.scale),
          ...dashEntries(shape.props.dash),
          [CLOSED_HINT_KEY, closed ? '1' : undefined],
          [FILL_HINT_KEY, shape.props.fill],
        ]
  return polyline(closed ? [...page, page[0]!] : page, shape.type, true, extra)
}

/** tldraw line shapes (points ordered by their index) as an unconnected edge. */
export function lineEdge(shape: Extract<TLShape, { type: 'line' }>, index: ShapeIndex): Edge | null {
  const p = shape.props
  const transform = index.transform(shape)
  const ordered = Object.values(p.points).sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
  const page = ordered.map((point) => toPage(transform, { x: point.x * p.scale, y: point.y * p.scale }))
  return polyline(page, 'line', p.spline === 'cubic', [
    ...strokeEntries(p.color, STROKE_WIDTHS[p.size] * p.scale),
    ...dashEntries(p.dash),
  ])
}
