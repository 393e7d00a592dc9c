/**
 * Lays a diagram spec out with ELK (layered, orthogonal edges): node sizes from their labels,
 * groups as compound nodes (nested), edge labels given room. Coordinates are absolute, with the
 * layout's top-left at (0,0). Owns: the ELK graph and options. Must not touch: records, I/O.
 */
import type { ELK as ElkApi, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js'
import {
  edgeLabelSize,
  FONT_PX,
  FRAME_HEADING,
  LINE_HEIGHT,
  measureText,
  nodeSize,
  WRAP_PX,
} from './labelSize'
import type { DiagramDirection, DiagramSpec } from './spec'

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export interface Point {
  x: number
  y: number
}

export interface LaidOutEdge {
  from: string
  to: string
  /** The route ELK found: start on `from`'s border, bends, end on `to`'s border. */
  points: Point[]
  /** Where ELK put the edge's label, if it has one. */
  label?: Box
}

export interface DiagramLayout {
  width: number
  height: number
  /** Node id → its box. */
  nodes: Map<string, Box>
  /** Group id → its box (the frame; its heading sits above it, inside the layout). */
  groups: Map<string, Box>
  /** One per spec edge, in the spec's order. */
  edges: LaidOutEdge[]
  /** The title's box, when the spec has one (top-left, above everything else). */
  title?: Box
}

const ELK_DIRECTIONS: Readonly<Record<DiagramDirection, string>> = {
  right: 'RIGHT',
  down: 'DOWN',
  left: 'LEFT',
  up: 'UP',
}

/** Above this many nodes ELK tries fewer orderings (thoroughness 3 instead of 7): 2–3× faster. */
const LARGE_DIAGRAM = 50

/**
 * Layout options; spacing leaves room for frame headings and arrowheads. Model-order
 * tie-breaking is left off: it doubles the time with groups and changes little.
 */

/** The box of a diagram's title text wrapped at `wrapWidth`, at the origin (the diagram goes below it). */
function titleBox(title: string, wrapWidth: number): Box {
  const text = measureText(title, wrapWidth, FONT_PX.text)
  return {
    x: 0,
    y: 0,
    w: Math.ceil(text.w + 24),
    h: Math.ceil(Math.max(text.h, FONT_PX.text * LINE_HEIGHT) + 8),
  }
}
export function elkOptions(direction: DiagramDirection, nodeCount = 0): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': ELK_DIRECTIONS[direction],
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
    'elk.json.shapeCoords': 'ROOT',
    'elk.json.edgeCoords': 'ROOT',
    'elk.spacing.nodeNode': '50',
    'elk.layered.spacing.nodeNodeBetweenLayers': '80',
    'elk.spacing.edgeNode': '25',
    'elk.spacing.edgeEdge': '15',
    'elk.layered.spacing.edgeNodeBetweenLayers': '30',
    'elk.spacing.edgeLabel': '6',
    'elk.spacing.componentComponent': '80',
    'elk.layered.thoroughness': nodeCount > LARGE_DIAGRAM ? '3' : '7',
    'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  }
}

const GROUP_PADDING = `[top=${FRAME_HEADING + 24},left=30,bottom=30,right=30]`
const EMPTY_GROUP = { w: 200, h: 100 }
const TITLE_GAP = 30

/**
 * ELK, loaded by the first layout rather than with this module: it is 1.6 MB of code and 3–4 MB of
 * heap, and most processes that import `shared` (every server, every browser tab) never lay out.
 */
let elk: Promise<ElkApi> | undefined

function loadElk(): Promise<ElkApi> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(
    ({ default: ELK }) => new ELK(),
    (error: unknown) => {
      elk = undefined
      throw error
    },
  )
  return elk
}

const nodeKey = (id: string) => `n:${id}`
const groupKey = (id: string) => `g:${id}`

function buildGraph(spec: DiagramSpec): ElkNode {
  const direction = spec.direction ?? 'right'
  const root: ElkNode = {
    id: 'root',
    layoutOptions: elkOptions(direction, spec.nodes.length),
    children: [],
    edges: [],
  }
  const groupNodes = new Map<string, ElkNode>()
  for (const group of spec.groups ?? []) {
    groupNodes.set(group.id, {
      id: groupKey(group.id),
      layoutOptions: {
        'elk.padding': GROUP_PADDING,
        ...(group.direction ? { 'elk.direction': ELK_DIRECTIONS[group.direction] } : {}),
      },
      children: [],
    })
  }
  for (const group of spec.groups ?? []) {
    const parent = group.parent === undefined ? root : (groupNodes.get(group.parent) ?? root)
    parent.children!.push(groupNodes.get(group.id)!)
  }
  for (const node of spec.nodes) {
    const size = node.box ? { w: node.box.w, h: node.box.h } : nodeSize(node.label, node.shape)
    const parent = node.group === undefined ? root : (groupNodes.get(node.group) ?? root)
    parent.children!.push({ id: nodeKey(node.id), width: size.w, height: size.h })
  }
  for (const group of groupNodes.values()) {
    if (group.children!.length === 0) {
      group.width = EMPTY_GROUP.w
      group.height = EMPTY_GROUP.h
    }
  }
  const keys = endKeys(spec)
  root.edges = spec.edges.flatMap((edge, i): ElkExtendedEdge[] => {
    const source = keys.get(edge.from)
    const target = keys.get(edge.to)
    if (!source || !target || source === target || linksOwnFrame(spec, edge.from, edge.to)) return []
    const label = edge.label && !edge.invisible ? edgeLabelSize(edge.label) : null
    return [
      {
        id: `e${i}`,
        sources: [source],
        targets: [target],
        ...(label ? { labels: [{ text: edge.label, width: label.w, height: label.h }] } : {}),
      },
    ]
  })
  return root
}

/** Every id an edge may end at: nodes, and groups (whose frame is the end) not shadowed by a node. */
function endKeys(spec: DiagramSpec): Map<string, string> {
  const keys = new Map<string, string>()
  for (const group of spec.groups ?? []) keys.set(group.id, groupKey(group.id))
  for (const node of spec.nodes) keys.set(node.id, nodeKey(node.id))
  return keys
}

/** True when one end is a group holding the other (ELK cannot route into its own compound). */
function linksOwnFrame(spec: DiagramSpec, from: string, to: string): boolean {
  const groups = spec.groups ?? []
  if (!groups.some((group) => group.id === from || group.id === to)) return false
  const parentOf = new Map<string, string | undefined>(groups.map((group) => [group.id, group.parent]))
  const nodeGroup = new Map(spec.nodes.map((node) => [node.id, node.group]))
  const holds = (outer: string, id: string) => {
    let at = nodeGroup.has(id) ? nodeGroup.get(id) : parentOf.get(id)
    for (let hops = 0; at !== undefined && hops <= groups.length; hops++) {
      if (at === outer) return true
      at = parentOf.get(at)
    }
    return false
  }
  return holds(from, to) || holds(to, from)
}

function collect(node: ElkNode, nodes: Map<string, Box>, groups: Map<string, Box>): void {
  for (const child of node.children ?? []) {
    const box = { x: child.x ?? 0, y: child.y ?? 0, w: child.width ?? 0, h: child.height ?? 0 }
    if (child.id.startsWith('g:')) {
      groups.set(child.id.slice(2), box)
      collect(child, nodes, groups)
    } else nodes.set(child.id.slice(2), box)
  }
}

/**
 * A `preset` spec's own boxes as a layout: edges run straight between their anchors, labels at
 * their middle. No ELK (sequence diagrams place every shape themselves).
 */
export function presetLayout(spec: DiagramSpec): DiagramLayout {
  const nodes = new Map<string, Box>()
  const groups = new Map<string, Box>()
  for (const node of spec.nodes) if (node.box) nodes.set(node.id, { ...node.box })
  for (const group of spec.groups ?? []) if (group.box) groups.set(group.id, { ...group.box })
  // Normalise: the top-left at (0,0), frame headings and the title inside the layout.
  const boxes = [...nodes.values(), ...groups.values()]
  const minX = Math.min(0, ...boxes.map((box) => box.x))
  const minY = Math.min(
    0,
    ...[...nodes.values()].map((box) => box.y),
    ...[...groups.values()].map((box) => box.y - FRAME_HEADING),
  )
  const title = spec.title ? titleBox(spec.title, WRAP_PX * 2) : undefined
  const top = title ? title.h + TITLE_GAP : 0
  let width = title?.w ?? 0
  let height = 0
  for (const box of boxes) {
    box.x -= minX
    box.y += top - minY
    width = Math.max(width, box.x + box.w)
    height = Math.max(height, box.y + box.h)
  }
  const at = (id: string, anchor: Point | undefined): Point | null => {
    const box = nodes.get(id) ?? groups.get(id)
    if (!box) return null
    return { x: box.x + (anchor?.x ?? 0.5) * box.w, y: box.y + (anchor?.y ?? 0.5) * box.h }
  }
  const edges = spec.edges.map((edge): LaidOutEdge => {
    const start = at(edge.from, edge.fromAnchor)
    const end = at(edge.to, edge.toAnchor)
    if (!start || !end) return { from: edge.from, to: edge.to, points: [] }
    const size = edge.label ? edgeLabelSize(edge.label) : null
    const middle = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 }
    return {
      from: edge.from,
      to: edge.to,
      points: [start, end],
      ...(size ? { label: { x: middle.x - size.w / 2, y: middle.y - size.h, w: size.w, h: size.h } } : {}),
    }
  })
  return {
    width: Math.ceil(width),
    height: Math.ceil(height),
    nodes,
    groups,
    edges,
    ...(title ? { title } : {}),
  }
}

/** Lays out `spec`. Edges whose ends are not nodes or groups of the spec get an empty route. */
export async function layoutDiagram(spec: DiagramSpec): Promise<DiagramLayout> {
  if (spec.preset) return presetLayout(spec)
  const result = await (await loadElk()).layout(buildGraph(spec))
  const nodes = new Map<string, Box>()
  const groups = new Map<string, Box>()
  collect(result, nodes, groups)
  const routes = new Map<string, { points: Point[]; label?: Box }>()
  for (const edge of result.edges ?? []) {
    const points: Point[] = []
    for (const section of edge.sections ?? []) {
      for (const point of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) {
        const last = points.at(-1)
        if (!last || last.x !== point.x || last.y !== point.y) points.push({ x: point.x, y: point.y })
      }
    }
    const label = edge.labels?.[0]
    routes.set(edge.id, {
      points,
      ...(label
        ? { label: { x: label.x ?? 0, y: label.y ?? 0, w: label.width ?? 0, h: label.height ?? 0 } }
        : {}),
    })
  }

  // Normalise: frame headings sit above their frames, and the title above everything.
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  const extend = (box: Box, top = 0) => {
    minX = Math.min(minX, box.x)
    minY = Math.min(minY, box.y - top)
    maxX = Math.max(maxX, box.x + box.w)
    maxY = Math.max(maxY, box.y + box.h)
  }
  for (const box of nodes.values()) extend(box)
  for (const box of groups.values()) extend(box, FRAME_HEADING)
  for (const route of routes.values()) {
    for (const p of route.points) extend({ x: p.x, y: p.y, w: 0, h: 0 })
    if (route.label) extend(route.label)
  }
  if (!Number.isFinite(minX)) {
    minX = 0
    minY = 0
    maxX = 0
    maxY = 0
  }
  const title = spec.title ? titleBox(spec.title, Math.max(WRAP_PX * 2, maxX - minX)) : undefined
  const top = title ? title.h + TITLE_GAP : 0
  const shift = (box: Box): Box => ({ x: box.x - minX, y: box.y - minY + top, w: box.w, h: box.h })
  const shiftPoint = (p: Point): Point => ({ x: p.x - minX, y: p.y - minY + top })
  for (const [id, box] of nodes) nodes.set(id, shift(box))
  for (const [id, box] of groups) groups.set(id, shift(box))
  const edges = spec.edges.map((edge, i): LaidOutEdge => {
    const route = routes.get(`e${i}`)
    return {
      from: edge.from,
      to: edge.to,
      points: route ? route.points.map(shiftPoint) : [],
      ...(route?.label ? { label: shift(route.label) } : {}),
    }
  })
  return {
    width: Math.ceil(Math.max(maxX - minX, title?.w ?? 0)),
    height: Math.ceil(maxY - minY + top),
    nodes,
    groups,
    edges,
    ...(title ? { title } : {}),
  }
}
