/**
 * One resolved draw.io page → tldraw records: vertices in file order (draw.io's z-order), then
 * edges, each under its nearest imported frame or group. Owns: which cell becomes which record and
 * where it sits in the tldraw tree. Must not touch: file reading, limits, validation of the result.
 */
import type { TLPageId, TLParentId, TLRecord, TLRichText, TLShapeId } from '@tldraw/tlschema'
import { getIndices, getIndicesAbove, type IndexKey } from '@tldraw/utils'
import type { Point } from './geometry'
import { importEdge, type Terminal } from './importEdges'
import { importVertex, type VertexKind, vertexKind } from './importShapes'
import type { RawCell } from './limits'
import type { ResolvedPage } from './resolveCells'
import { htmlToRichText, plainToRichText } from './richText'
import { parseStyle, type Style, styleNumber } from './style'

/** What an import produced, for the caller's response (`{ shapes, edges, skipped }`). */
export interface ImportCounts {
  shapes: number
  edges: number
  unknownStencils: number
  skipped: number
}

const CONTAINER_KINDS = new Set<VertexKind>(['frame', 'group'])
const MIN_GROUP_CHILDREN = 2

function labelOf(cell: RawCell, style: Style): TLRichText {
  return style.get('html') === '1' ? htmlToRichText(cell.value) : plainToRichText(cell.value)
}

class PageImporter {
  readonly records: TLRecord[] = []
  private readonly newIds = new Map<string, TLShapeId>()
  private readonly kinds = new Map<string, VertexKind | 'flatten'>()
  private readonly styles = new Map<string, Style>()
  private readonly children = new Map<string, RawCell[]>()

  constructor(
    private readonly page: ResolvedPage,
    private readonly pageId: TLPageId,
    private readonly counts: ImportCounts,
  ) {
    for (const cell of page.content) {
      if (!cell.vertex || cell.parent === undefined) continue
      const siblings = this.children.get(cell.parent)
      if (siblings) siblings.push(cell)
      else this.children.set(cell.parent, [cell])
    }
  }

  private childVertices(id: string): RawCell[] {
    return this.children.get(id) ?? []
  }

  private style(cell: RawCell): Style {
    let style = this.styles.get(cell.id)
    if (!style) {
      style = parseStyle(cell.style)
      this.styles.set(cell.id, style)
    }
    return style
  }

  private isEdgeLabel(cell: RawCell): boolean {
    return cell.vertex && cell.parent !== undefined && this.page.cells.get(cell.parent)?.edge === true
  }

  /**
   * Frames always hold children; groups only when they have enough children to stay a group in
   * tldraw, otherwise they are flattened (their child goes to the group's parent).
   */
  private kindOf(cell: RawCell): VertexKind | 'flatten' {
    const known = this.kinds.get(cell.id)
    if (known) return known
    let kind: VertexKind | 'flatten' = vertexKind(this.style(cell))
    if (kind === 'group') {
      const children = this.childVertices(cell.id).filter((c) => !this.isEdgeLabel(c))
      if (children.length < MIN_GROUP_CHILDREN) kind = 'flatten'
    }
    this.kinds.set(cell.id, kind)
    return kind
  }

  /** The nearest ancestor imported as a frame or group (tldraw parent), else the page. */
  private tldrawParent(cell: RawCell): { id: TLParentId; origin: Point } {
    let parent = cell.parent === undefined ? undefined : this.page.cells.get(cell.parent)
    while (parent?.vertex) {
      const id = this.newIds.get(parent.id)
      const kind = this.kindOf(parent)
      if (id && kind !== 'flatten' && CONTAINER_KINDS.has(kind)) {
        const box = this.page.boxes.get(parent.id)!
        return { id, origin: { x: box.x, y: box.y } }
      }
      parent = parent.parent === undefined ? undefined : this.page.cells.get(parent.parent)
    }
    return { id: this.pageId, origin: { x: 0, y: 0 } }
  }

  importVertices(indices: IndexKey[]): void {
    let next = 0
    for (const cell of this.page.content) {
      if (!cell.vertex || this.isEdgeLabel(cell)) continue
      const style = this.style(cell)
      const kind = this.kindOf(cell)
      if (kind === 'flatten') continue
      if (kind === 'stencil') this.counts.unknownStencils += 1
      const parent = this.tldrawParent(cell)
      const box = this.page.boxes.get(cell.id)!
      const placed = {
        style,
        label: labelOf(cell, style),
        box,
        parentOrigin: parent.origin,
        parentId: parent.id,
        index: indices[next++]!,
      }
      const { shape, asset } = importVertex(placed, kind)
      this.newIds.set(cell.id, shape.id)
      if (asset) this.records.push(asset)
      this.records.push(shape)
      this.counts.shapes += 1
    }
  }

  private terminal(edge: RawCell, end: 'source' | 'target'): Terminal {
    const style = this.style(edge)
    const cellId = edge[end]
    const bound = cellId ? this.page.cells.get(cellId) : undefined
    const bindable = bound !== undefined && this.kinds.get(bound.id) !== 'group'
    const shapeId = bound && bindable ? this.newIds.get(bound.id) : undefined
    const box = bound ? this.page.boxes.get(bound.id) : undefined
    const prefix = end === 'source' ? 'exit' : 'entry'
    const hasAnchor = style.has(`${prefix}X`) && style.has(`${prefix}Y`)
    const anchor = hasAnchor
      ? { x: styleNumber(style, `${prefix}X`, 0.5), y: styleNumber(style, `${prefix}Y`, 0.5) }
      : undefined
    if (shapeId && box) {
      const a = anchor ?? { x: 0.5, y: 0.5 }
      return { shapeId, point: { x: box.x + a.x * box.w, y: box.y + a.y * box.h }, anchor }
    }
    if (box) return { point: { x: box.x + box.w / 2, y: box.y + box.h / 2 } }
    const base = this.page.parentOrigin(edge)
    const free = end === 'source' ? edge.geometry.sourcePoint : edge.geometry.targetPoint
    const fallback =
      end === 'source' ? edge.geometry.points[0] : edge.geometry.points[edge.geometry.points.length - 1]
    const point = free ?? fallback ?? { x: 0, y: 0 }
    return { point: { x: base.x + point.x, y: base.y + point.y } }
  }

  private edgeLabel(edge: RawCell): TLRichText {
    const labelled = [edge, ...this.childVertices(edge.id)].filter((c) => c.value)
    if (labelled.length === 0) return plainToRichText('')
    return { type: 'doc', content: labelled.flatMap((c) => labelOf(c, this.style(c)).content) }
  }

  importEdges(indices: IndexKey[]): void {
    let next = 0
    for (const cell of this.page.content) {
      if (!cell.edge) {
        if (!cell.vertex) this.counts.skipped += 1
        continue
      }
      const base = this.page.parentOrigin(cell)
      const records = importEdge({
        style: this.style(cell),
        label: this.edgeLabel(cell),
        start: this.terminal(cell, 'source'),
        end: this.terminal(cell, 'target'),
        points: cell.geometry.points.map((p) => ({ x: base.x + p.x, y: base.y + p.y })),
        labelPosition: Math.min(1, Math.max(0, (cell.geometry.x + 1) / 2)),
        parentId: this.pageId,
        index: indices[next++]!,
      })
      this.records.push(...records)
      if (records[0]?.typeName === 'shape' && records[0].type === 'arrow') this.counts.edges += 1
      else this.counts.shapes += 1
    }
  }
}

/** The records of one page; shapes sort above `indexAbove` when given. */
export function importPage(
  page: ResolvedPage,
  pageId: TLPageId,
  indexAbove: IndexKey | undefined,
  counts: ImportCounts,
): TLRecord[] {
  const vertexCount = page.content.filter((c) => c.vertex).length
  const edgeCount = page.content.filter((c) => c.edge).length
  const indices = indexAbove
    ? getIndicesAbove(indexAbove, vertexCount + edgeCount)
    : getIndices(vertexCount + edgeCount)
  const importer = new PageImporter(page, pageId, counts)
  importer.importVertices(indices.slice(0, vertexCount))
  importer.importEdges(indices.slice(vertexCount))
  return importer.records
}
