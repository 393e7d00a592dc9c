/**
 * A laid-out diagram as tldraw records: frames for groups (nested, children in relative
 * coordinates), geo/note/text shapes for nodes, elbow arrows with two bindings for edges, and a
 * text shape for the title. Ids are deterministic per job (`keyPrefix`), indexes rise from
 * `indexAbove` with arrows above every shape, and every record is validated by the shared builders.
 * Must not touch: layout, Yjs, I/O.
 */
import type { TLPageId, TLParentId, TLRecord, TLShapeId } from '@tldraw/tlschema'
import { getIndicesAbove, type IndexKey, type JsonObject } from '@tldraw/utils'
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildTextShape,
} from '../document/records'
import { NOTE_SIDE } from './labelSize'
import type { Box, DiagramLayout, Point } from './layout'
import { arrowBindingIds, jobShapeId } from './recordIds'
import type { DiagramEdge, DiagramNode, DiagramSpec } from './spec'
import { geoFor } from './styleMap'

export interface DiagramRecordOptions {
  /** Page position of the layout's top-left. */
  origin: Point
  pageId: TLPageId
  /** Prefix of every record id, and `meta.jobKey` of every shape: one per job. */
  keyPrefix: string
  /** New shapes stack above this index (e.g. the page's top shape); from the bottom when left out. */
  indexAbove?: IndexKey
}

export interface DiagramRecords {
  records: TLRecord[]
  /** Node id → its shape id. */
  shapeIds: Map<string, TLShapeId>
  /** Group id → its frame id. */
  frameIds: Map<string, TLShapeId>
  /** One per drawn edge, in the spec's order (edges whose ends were not laid out are skipped). */
  arrowIds: TLShapeId[]
}

/** Arrowheads for an edge: its own `heads`, else undirected → none, bidirectional → both, otherwise at the end. */
export function arrowheadsFor(edge: Pick<DiagramEdge, 'bidirectional' | 'undirected' | 'heads'>) {
  if (edge.heads) return { arrowheadStart: edge.heads.start, arrowheadEnd: edge.heads.end }
  if (edge.undirected) return { arrowheadStart: 'none', arrowheadEnd: 'none' } as const
  return { arrowheadStart: edge.bidirectional ? 'arrow' : 'none', arrowheadEnd: 'arrow' } as const
}

interface NodeRecordInput {
  id: TLShapeId
  node: DiagramNode
  box: Box
  parentId: TLParentId
  index: IndexKey
  meta: JsonObject
}

/** One node as its shape (geo, note or text) at `box` (in its parent's coordinates). */
export function nodeRecord({ id, node, box, parentId, index, meta }: NodeRecordInput): TLRecord {
  const placement = { id, x: box.x, y: box.y, parentId, index, meta }
  if (node.shape === 'note') {
    return buildNoteShape({
      ...placement,
      text: node.label,
      color: node.color ?? 'yellow',
      growY: Math.max(0, box.h - NOTE_SIDE),
    })
  }
  if (node.shape === 'text') {
    return buildTextShape({
      ...placement,
      text: node.label,
      w: box.w,
      ...(node.color ? { color: node.color } : {}),
    })
  }
  return buildGeoShape({
    ...placement,
    w: box.w,
    h: box.h,
    geo: geoFor(node.shape) ?? 'rectangle',
    text: node.label,
    ...(node.color ? { color: node.color } : {}),
    ...(node.fill ? { fill: node.fill } : {}),
    ...(node.dash ? { dash: node.dash } : {}),
  })
}

const centre = (box: Box): Point => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 })
const pointIn = (box: Box, anchor: Point): Point => ({
  x: box.x + anchor.x * box.w,
  y: box.y + anchor.y * box.h,
})

/** A link from a shape to itself: a loop out of its top-right corner (top edge → right edge). */
const SELF_LOOP = { from: { x: 0.75, y: 0 }, to: { x: 1, y: 0.35 }, bendPx: -40 } as const

/** Records for `layout` of `spec`, placed at `origin` on `pageId`. Throws only on a builder bug. */
export function diagramToRecords(
  layout: DiagramLayout,
  spec: DiagramSpec,
  options: DiagramRecordOptions,
): DiagramRecords {
  const { origin, pageId, keyPrefix } = options
  const meta = { jobKey: keyPrefix }
  const groups = (spec.groups ?? []).filter((group) => layout.groups.has(group.id))
  const nodes = spec.nodes.filter((node) => layout.nodes.has(node.id))
  /** An edge may end at a node or at a group's frame. */
  const boxOf = (id: string) => layout.nodes.get(id) ?? layout.groups.get(id)
  const edges = layout.edges
    .map((laid, specIndex) => ({ laid, edge: spec.edges[specIndex], specIndex }))
    .filter(
      (e): e is { laid: DiagramLayout['edges'][number]; edge: DiagramEdge; specIndex: number } =>
        e.edge !== undefined &&
        !e.edge.invisible &&
        boxOf(e.edge.from) !== undefined &&
        boxOf(e.edge.to) !== undefined,
    )
  const indices = getIndicesAbove(
    options.indexAbove ?? null,
    (layout.title && spec.title ? 1 : 0) + groups.length + nodes.length + edges.length,
  )
  let next = 0
  const index = () => indices[next++]!

  const records: TLRecord[] = []
  const frameIds = new Map<string, TLShapeId>()
  const shapeIds = new Map<string, TLShapeId>()
  const arrowIds: TLShapeId[] = []
  const groupParent = new Map(groups.map((g) => [g.id, g.parent]))

  /** Page position of a parent group's frame (0,0 for the page itself: its children are in page coordinates). */
  const parentOf = (groupId: string | undefined): { id: TLParentId; at: Point } => {
    const frame = groupId === undefined ? undefined : frameIds.get(groupId)
    const box = groupId === undefined ? undefined : layout.groups.get(groupId)
    return frame && box
      ? { id: frame, at: { x: origin.x + box.x, y: origin.y + box.y } }
      : { id: pageId, at: { x: 0, y: 0 } }
  }
  const local = (box: Box, parent: { at: Point }): Box => ({
    x: origin.x + box.x - parent.at.x,
    y: origin.y + box.y - parent.at.y,
    w: box.w,
    h: box.h,
  })

  if (layout.title && spec.title) {
    records.push(
      buildTextShape({
        id: jobShapeId(keyPrefix, 'title', 'title'),
        x: origin.x + layout.title.x,
        y: origin.y + layout.title.y,
        parentId: pageId,
        index: index(),
        text: spec.title,
        size: 'l',
        meta,
      }),
    )
  }
  for (const group of groups) {
    const parent = parentOf(group.parent)
    const box = local(layout.groups.get(group.id)!, parent)
    const id = jobShapeId(keyPrefix, 'group', group.id)
    records.push(
      buildFrameShape({ id, ...box, name: group.label, parentId: parent.id, index: index(), meta }),
    )
    frameIds.set(group.id, id)
  }
  for (const node of nodes) {
    const parent = parentOf(node.group !== undefined && groupParent.has(node.group) ? node.group : undefined)
    const id = jobShapeId(keyPrefix, 'node', node.id)
    records.push(
      nodeRecord({
        id,
        node,
        box: local(layout.nodes.get(node.id)!, parent),
        parentId: parent.id,
        index: index(),
        meta: node.sourceShape ? { ...meta, mermaidShape: node.sourceShape } : meta,
      }),
    )
    shapeIds.set(node.id, id)
  }
  const groupOf = new Map<string, string | undefined>([
    ...groups.map((group): [string, string | undefined] => [group.id, group.parent]),
    ...nodes.map((node): [string, string | undefined] => [node.id, node.group]),
  ])
  const shapeOf = (id: string) => shapeIds.get(id) ?? frameIds.get(id)!
  for (const { laid, edge, specIndex } of edges) {
    const fromGroup = groupOf.get(edge.from)
    const shared = fromGroup !== undefined && fromGroup === groupOf.get(edge.to) && frameIds.has(fromGroup)
    const parent = parentOf(shared ? fromGroup : undefined)
    const loop = edge.from === edge.to && !edge.fromAnchor
    const fromAnchor = loop ? SELF_LOOP.from : edge.fromAnchor
    const toAnchor = loop ? SELF_LOOP.to : edge.toAnchor
    const start = loop
      ? pointIn(boxOf(edge.from)!, SELF_LOOP.from)
      : (laid.points[0] ?? centre(boxOf(edge.from)!))
    const end = loop
      ? pointIn(boxOf(edge.to)!, SELF_LOOP.to)
      : (laid.points.at(-1) ?? centre(boxOf(edge.to)!))
    const bend = loop ? SELF_LOOP.bendPx : edge.straight ? edge.bend : undefined
    const toLocal = (p: Point) => ({ x: origin.x + p.x - parent.at.x, y: origin.y + p.y - parent.at.y })
    const id = jobShapeId(keyPrefix, 'edge', `${specIndex}:${edge.from}->${edge.to}`)
    records.push(
      ...buildBoundArrow({
        id,
        from: { id: shapeOf(edge.from), ...toLocal(start), ...(fromAnchor ? { anchor: fromAnchor } : {}) },
        to: { id: shapeOf(edge.to), ...toLocal(end), ...(toAnchor ? { anchor: toAnchor } : {}) },
        index: index(),
        parentId: parent.id,
        kind: edge.straight || loop ? 'arc' : 'elbow',
        ...(bend ? { bend } : {}),
        ...(edge.label ? { text: edge.label } : {}),
        ...(edge.dash ? { dash: edge.dash } : {}),
        ...(edge.color ? { color: edge.color } : {}),
        ...arrowheadsFor(edge),
        bindingIds: arrowBindingIds(id),
        meta,
      }),
    )
    arrowIds.push(id)
  }
  return { records, shapeIds, frameIds, arrowIds }
}
