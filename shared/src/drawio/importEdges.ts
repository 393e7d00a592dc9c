/**
 * One resolved draw.io edge → a tldraw arrow with its bindings, or (for Drawbridge's own
 * freehand/line hints) a draw or line shape through the same points. Terminals arrive as the new
 * tldraw ids of their cells (or absent when the edge end is free). Must not touch: vertices,
 * page assembly, indexes.
 */
import {
  b64Vecs,
  createShapeId,
  type TLArrowBinding,
  type TLArrowShape,
  type TLParentId,
  type TLRecord,
  type TLRichText,
  type TLShapeId,
} from '@tldraw/tlschema'
import { getIndices, type IndexKey } from '@tldraw/utils'
import { arrowBinding } from '../document/records'
import { HIGHLIGHT_WIDTH_FACTOR } from './exportEdges'
import { CLOSED_HINT_KEY, SHAPE_HINT_KEY } from './exportStyles'
import type { Point } from './geometry'
import {
  arrowheadOf,
  colorOf,
  DEFAULT_EDGE_FONT_SIZE,
  dashOf,
  fillOf,
  fontOf,
  labelColorOf,
  opacityOf,
  sizeAndScale,
  sizeOf,
} from './importStyles'
import { ARROW_LABEL_FONT_SIZES } from './palette'
import type { Style } from './style'

export interface Terminal {
  /** The tldraw shape the end is bound to, if any. */
  shapeId?: TLShapeId
  /** Absolute page point of the end (the bound shape's anchor, or the free point). */
  point: Point
  /** Normalised anchor when the file fixes one (exit/entry X/Y). */
  anchor?: Point
}

export interface PlacedEdge {
  style: Style
  label: TLRichText
  /** Font size of the label's own cell when it is an `edgeLabel` child (else the edge's). */
  labelFontSize?: number
  start: Terminal
  end: Terminal
  /** Absolute waypoints. */
  points: Point[]
  labelPosition: number
  parentId: TLParentId
  index: IndexKey
}

const ELBOW_STYLES = new Set(['orthogonalEdgeStyle', 'elbowEdgeStyle', 'entityRelationEdgeStyle'])

/** tldraw bend from the waypoint farthest from the chord (the inverse of exportEdges' bendPoint). */
export function bendFrom(start: Point, end: Point, points: readonly Point[]): number {
  const dx = end.x - start.x
  const dy = end.y - start.y
  const length = Math.hypot(dx, dy)
  if (length === 0 || points.length === 0) return 0
  const midX = (start.x + end.x) / 2
  const midY = (start.y + end.y) / 2
  let bend = 0
  for (const point of points) {
    const offset = ((point.x - midX) * -dy + (point.y - midY) * dx) / length
    if (Math.abs(offset) > Math.abs(bend)) bend = offset
  }
  return bend
}

function binding(arrowId: TLShapeId, terminal: 'start' | 'end', end: Terminal): TLArrowBinding | null {
  return end.shapeId ? arrowBinding(arrowId, terminal, end.shapeId, end.anchor) : null
}

function arrow(edge: PlacedEdge): TLRecord[] {
  const { style } = edge
  const id = createShapeId()
  const elbow = ELBOW_STYLES.has(style.get('edgeStyle') ?? '')
  // Label at the file's font size and the stroke near its width: tldraw scales both by `scale`.
  const sizing = new Map(style)
  if (edge.labelFontSize !== undefined) sizing.set('fontSize', String(edge.labelFontSize))
  const { size, scale } = sizeAndScale(sizing, ARROW_LABEL_FONT_SIZES, DEFAULT_EDGE_FONT_SIZE)
  // Written out in full (not through buildBoundArrow, which validates records that are validated
  // again at the end of the import, and builds two bindings only to throw them away).
  const shape: TLArrowShape = {
    id,
    typeName: 'shape',
    type: 'arrow',
    x: edge.start.point.x,
    y: edge.start.point.y,
    rotation: 0,
    index: edge.index,
    parentId: edge.parentId,
    isLocked: false,
    opacity: opacityOf(style),
    meta: {},
    props: {
      kind: elbow ? 'elbow' : 'arc',
      labelColor: labelColorOf(style),
      color: colorOf(style),
      fill: 'none',
      dash: dashOf(style),
      size,
      arrowheadStart: arrowheadOf(style, 'start'),
      arrowheadEnd: arrowheadOf(style, 'end'),
      font: fontOf(style),
      start: { x: 0, y: 0 },
      end: { x: edge.end.point.x - edge.start.point.x, y: edge.end.point.y - edge.start.point.y },
      bend: elbow ? 0 : bendFrom(edge.start.point, edge.end.point, edge.points),
      richText: edge.label,
      labelPosition: edge.labelPosition,
      scale,
      elbowMidPoint: 0.5,
    },
  }
  const bindings = [binding(id, 'start', edge.start), binding(id, 'end', edge.end)].filter((b) => b !== null)
  return [shape, ...bindings]
}

function strokePoints(edge: PlacedEdge): Point[] {
  return [edge.start.point, ...edge.points, edge.end.point]
}

function draw(edge: PlacedEdge, kind: 'draw' | 'highlight'): TLRecord {
  const { style } = edge
  const points = strokePoints(edge)
  const origin = points[0]!
  const local = points.map((p) => ({ x: p.x - origin.x, y: p.y - origin.y }))
  const closed = style.get(CLOSED_HINT_KEY) === '1'
  const common = {
    id: createShapeId(),
    typeName: 'shape' as const,
    x: origin.x,
    y: origin.y,
    rotation: 0,
    index: edge.index,
    parentId: edge.parentId,
    isLocked: false,
    opacity: kind === 'highlight' ? 1 : opacityOf(style),
    meta: {},
  }
  const segments = [
    {
      type: 'free' as const,
      path: b64Vecs.encodePoints(closed ? local.slice(0, -1) : local, 2),
      dim: 2 as const,
    },
  ]
  const color = colorOf(style)
  if (kind === 'highlight') {
    return {
      ...common,
      type: 'highlight',
      props: {
        color,
        size: sizeOf(style, HIGHLIGHT_WIDTH_FACTOR),
        segments,
        isComplete: true,
        isPen: false,
        scale: 1,
        scaleX: 1,
        scaleY: 1,
      },
    }
  }
  return {
    ...common,
    type: 'draw',
    props: {
      color,
      fill: fillOf(style, color, 'none'),
      dash: dashOf(style),
      size: sizeOf(style),
      segments,
      isComplete: true,
      isClosed: closed,
      isPen: false,
      scale: 1,
      scaleX: 1,
      scaleY: 1,
    },
  }
}

function line(edge: PlacedEdge): TLRecord {
  const { style } = edge
  const points = strokePoints(edge)
  const origin = points[0]!
  const indices = getIndices(points.length)
  const entries = points.map((p, i) => {
    const pointId = `p${i}`
    return [pointId, { id: pointId, index: indices[i]!, x: p.x - origin.x, y: p.y - origin.y }] as const
  })
  return {
    id: createShapeId(),
    typeName: 'shape',
    type: 'line',
    x: origin.x,
    y: origin.y,
    rotation: 0,
    index: edge.index,
    parentId: edge.parentId,
    isLocked: false,
    opacity: opacityOf(style),
    meta: {},
    props: {
      color: colorOf(style),
      dash: dashOf(style),
      size: sizeOf(style),
      spline: style.get('curved') === '1' ? 'cubic' : 'line',
      points: Object.fromEntries(entries),
      scale: 1,
    },
  }
}

/** The records an edge becomes: arrow (+ up to two bindings), draw, highlight or line. */
export function importEdge(edge: PlacedEdge): TLRecord[] {
  const hint = edge.style.get(SHAPE_HINT_KEY)
  if (hint === 'draw' || hint === 'highlight') return [draw(edge, hint)]
  if (hint === 'line') return [line(edge)]
  return arrow(edge)
}
