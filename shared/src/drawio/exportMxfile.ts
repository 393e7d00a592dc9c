/**
 * Board records → a draw.io `<mxfile>`: one `<diagram>` per page with the `0`/`1` root cells,
 * vertices in z-order (frame and group children relative to their container), then edges. What
 * cannot be written is listed in `unmapped`, never silently dropped. Must not touch: Yjs, I/O.
 */
import type { TLAsset, TLPage, TLRecord, TLShape } from '@tldraw/tlschema'
import { compressDiagram } from './codec'
import { type ArrowBindings, arrowEdge, type Edge, lineEdge, strokeEdge } from './exportEdges'
import { type Vertex, vertexFor } from './exportShapes'
import { transformEntries } from './exportStyles'
import { type Box, cellBox, ShapeIndex, toDegrees, unionBoxes } from './geometry'
import { escapeXml, formatNumber, writeStyle } from './style'

export interface ExportOptions {
  /** Write each page's model the way draw.io compresses it (default false). */
  compressed?: boolean
  /** Export only this page. */
  pageId?: string
}

export interface UnmappedRecord {
  id: string
  type: string
  reason: string
}

export interface MxfileExport {
  xml: string
  unmapped: UnmappedRecord[]
}

/** The id of the root cell and of the one layer every export has. */
export const ROOT_CELL_ID = '0'
export const LAYER_CELL_ID = '1'
const MODEL_ATTRIBUTES =
  'grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="0" pageScale="1" math="0" shadow="0"'

const byIndex = (a: { index: string }, b: { index: string }) =>
  a.index < b.index ? -1 : a.index > b.index ? 1 : 0

interface PageCells {
  vertices: string[]
  edges: Array<{ shape: TLShape; edge: Edge }>
}

class PageWriter {
  readonly cells: PageCells = { vertices: [], edges: [] }
  private readonly boxes = new Map<string, Box>()
  private readonly vertexIds = new Set<string>()

  constructor(
    private readonly index: ShapeIndex,
    private readonly assets: ReadonlyMap<string, TLAsset>,
    private readonly bindings: ReadonlyMap<string, ArrowBindings>,
    private readonly unmapped: UnmappedRecord[],
  ) {}

  /** Size of a shape's unrotated box (groups: their children's bounds). */
  readonly sizeOf = (shape: TLShape): { w: number; h: number } => {
    const box = this.boxes.get(shape.id)
    if (box) return box
    const result = vertexFor(shape, this.assets)
    return result.ok ? result.vertex : { w: 0, h: 0 }
  }

  private boxOf(shape: TLShape, vertex: Vertex): Box | null {
    if (shape.type !== 'group') return cellBox(this.index.transform(shape), vertex)
    const children = this.index.childrenOf(shape.id).map((child) => this.measure(child))
    return unionBoxes(children.filter((box): box is Box => box !== null))
  }

  /** Page box of a shape, memoised; null for edges and unmapped shapes. */
  private measure(shape: TLShape): Box | null {
    const known = this.boxes.get(shape.id)
    if (known) return known
    const result = vertexFor(shape, this.assets)
    if (!result.ok) return null
    const box = this.boxOf(shape, result.vertex)
    if (box) this.boxes.set(shape.id, box)
    return box
  }

  writeTree(parentId: string, parentCell: string, origin: { x: number; y: number }): void {
    for (const shape of this.index.childrenOf(parentId).sort(byIndex))
      this.writeShape(shape, parentCell, origin)
  }

  private writeShape(shape: TLShape, parentCell: string, origin: { x: number; y: number }): void {
    if (
      shape.type === 'arrow' ||
      shape.type === 'draw' ||
      shape.type === 'highlight' ||
      shape.type === 'line'
    ) {
      this.writeEdgeShape(shape)
      return
    }
    const result = vertexFor(shape, this.assets)
    const box = result.ok ? this.measure(shape) : null
    if (!result.ok || !box) {
      this.unmapped.push({
        id: shape.id,
        type: shape.type,
        reason: result.ok ? 'empty group' : result.reason,
      })
      return
    }
    const { vertex } = result
    const rotation = shape.type === 'group' ? 0 : toDegrees(this.index.transform(shape).rotation)
    const style = writeStyle([...vertex.style, ...transformEntries(rotation, shape.opacity)])
    this.vertexIds.add(shape.id)
    this.cells.vertices.push(
      `<mxCell id="${escapeXml(shape.id)}" value="${escapeXml(vertex.label)}" style="${escapeXml(style)}" vertex="1" parent="${escapeXml(parentCell)}">` +
        `<mxGeometry x="${formatNumber(box.x - origin.x)}" y="${formatNumber(box.y - origin.y)}" width="${formatNumber(box.w)}" height="${formatNumber(box.h)}" as="geometry"/></mxCell>`,
    )
    if (vertex.container) this.writeTree(shape.id, shape.id, box)
  }

  private writeEdgeShape(shape: Extract<TLShape, { type: 'arrow' | 'draw' | 'highlight' | 'line' }>): void {
    let edge: Edge | null
    if (shape.type === 'arrow') {
      const cellIdOf = (id: string) => (this.vertexIds.has(id) || this.index.shapes.has(id) ? id : undefined)
      edge = arrowEdge(shape, this.bindings.get(shape.id) ?? {}, this.index, cellIdOf, this.sizeOf)
    } else if (shape.type === 'line') {
      edge = lineEdge(shape, this.index)
    } else {
      edge = strokeEdge(shape, this.index)
    }
    if (!edge) {
      this.unmapped.push({ id: shape.id, type: shape.type, reason: 'stroke has fewer than two points' })
      return
    }
    this.cells.edges.push({ shape, edge })
  }

  /** Vertices, then edges; terminals that name a cell not written are left out (draw.io would refuse them). */
  finish(): string {
    const written = (id: string | undefined) => (id !== undefined && this.vertexIds.has(id) ? id : undefined)
    const edges = this.cells.edges.map(({ shape, edge }) =>
      edgeXml(shape, { ...edge, source: written(edge.source), target: written(edge.target) }),
    )
    return [...this.cells.vertices, ...edges].join('')
  }
}

function pointXml(point: { x: number; y: number }, as?: string): string {
  const role = as ? ` as="${as}"` : ''
  return `<mxPoint x="${formatNumber(point.x)}" y="${formatNumber(point.y)}"${role}/>`
}

function edgeXml(shape: TLShape, edge: Edge): string {
  const style = writeStyle([...edge.style, ...transformEntries(0, shape.opacity)])
  const terminals =
    (edge.source ? ` source="${escapeXml(edge.source)}"` : '') +
    (edge.target ? ` target="${escapeXml(edge.target)}"` : '')
  const waypoints = edge.points.length
    ? `<Array as="points">${edge.points.map((p) => pointXml(p)).join('')}</Array>`
    : ''
  return (
    `<mxCell id="${escapeXml(shape.id)}" value="${escapeXml(edge.label)}" style="${escapeXml(style)}" edge="1" parent="${LAYER_CELL_ID}"${terminals}>` +
    `<mxGeometry x="${formatNumber(edge.labelX)}" relative="1" as="geometry">${pointXml(edge.sourcePoint, 'sourcePoint')}${pointXml(edge.targetPoint, 'targetPoint')}${waypoints}</mxGeometry></mxCell>`
  )
}

function collectBindings(
  records: readonly TLRecord[],
  unmapped: UnmappedRecord[],
): Map<string, ArrowBindings> {
  const bindings = new Map<string, ArrowBindings>()
  for (const record of records) {
    if (record.typeName !== 'binding') continue
    const kind: string = record.type
    if (kind !== 'arrow') {
      unmapped.push({ id: record.id, type: `binding:${kind}`, reason: 'only arrow bindings map to draw.io' })
      continue
    }
    const entry = bindings.get(record.fromId) ?? {}
    entry[record.props.terminal] = record
    bindings.set(record.fromId, entry)
  }
  return bindings
}

/** Shapes whose parent chain does not reach a page (orphans) are reported, not written. */
function reportOrphans(index: ShapeIndex, pageIds: ReadonlySet<string>, unmapped: UnmappedRecord[]): void {
  for (const shape of index.shapes.values()) {
    let current: TLShape | undefined = shape
    const seen = new Set<string>()
    while (current && !pageIds.has(current.parentId) && !seen.has(current.id)) {
      seen.add(current.id)
      current = index.shapes.get(current.parentId)
    }
    if (!current || !pageIds.has(current.parentId))
      unmapped.push({ id: shape.id, type: shape.type, reason: 'shape is not on any page' })
  }
}

/** One page's `<mxGraphModel>` XML. */
function modelXml(cells: string): string {
  return `<mxGraphModel ${MODEL_ATTRIBUTES}><root><mxCell id="${ROOT_CELL_ID}"/><mxCell id="${LAYER_CELL_ID}" parent="${ROOT_CELL_ID}"/>${cells}</root></mxGraphModel>`
}

/** The stable `<diagram id>` of a page. */
export function diagramIdOf(pageId: string): string {
  return `drawbridge-${pageId.replace(/^page:/, '')}`
}

/** Board records (array or id → record map) → an `<mxfile>` and the list of what did not map. */
export function recordsToMxfile(
  input: Iterable<TLRecord> | ReadonlyMap<string, TLRecord>,
  options: ExportOptions = {},
): MxfileExport {
  const records = input instanceof Map ? [...input.values()] : [...(input as Iterable<TLRecord>)]
  const unmapped: UnmappedRecord[] = []
  const allPages = records.filter((r): r is TLPage => r.typeName === 'page').sort(byIndex)
  const pages = options.pageId ? allPages.filter((page) => page.id === options.pageId) : allPages
  const index = new ShapeIndex(records)
  const assets = new Map(records.filter((r): r is TLAsset => r.typeName === 'asset').map((a) => [a.id, a]))
  const bindings = collectBindings(records, unmapped)
  if (!options.pageId) reportOrphans(index, new Set(allPages.map((page) => page.id)), unmapped)
  const diagrams = pages.map((page) => {
    const writer = new PageWriter(index, assets, bindings, unmapped)
    writer.writeTree(page.id, LAYER_CELL_ID, { x: 0, y: 0 })
    const model = modelXml(writer.finish())
    const body = options.compressed ? compressDiagram(model) : model
    return `<diagram id="${escapeXml(diagramIdOf(page.id))}" name="${escapeXml(page.name)}">${body}</diagram>`
  })
  const compressed = options.compressed ? 'true' : 'false'
  return {
    xml: `<mxfile host="Drawbridge" compressed="${compressed}">${diagrams.join('')}</mxfile>`,
    unmapped,
  }
}
