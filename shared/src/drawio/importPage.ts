/**
 * One resolved draw.io page → tldraw records: vertices in file order (draw.io's z-order), then
 * edges, each under its nearest imported frame or group. Owns: which cell becomes which record and
 * where it sits in the tldraw tree. Must not touch: file reading, limits, validation of the result.
 */
import type { TLAssetId, TLPageId, TLParentId, TLRecord, TLRichText, TLShapeId } from '@tldraw/tlschema'
import { getIndices, getIndicesAbove, type IndexKey } from '@tldraw/utils'
import type { SkippedItem } from '../protocol/drawio'
import { type EdgeLabelPlace, labelPositionOf, placeExtraLabels, visiblePath } from './edgeLabels'
import type { Box, Point } from './geometry'
import { importEdge, type Terminal } from './importEdges'
import { importVertex, type VertexKind, vertexKind } from './importShapes'
import { DEFAULT_EDGE_FONT_SIZE, DEFAULT_FONT_SIZE } from './importStyles'
import type { RawCell } from './limits'
import { isOutsideLabel, isVerticalLabel, outsideLabelBox, verticalLabelBox } from './outsideLabels'
import type { ResolvedPage } from './resolveCells'
import { htmlToRichText, markAll, plainToRichText, richTextToPlain } from './richText'
import { parseStyle, type Style, styleNumber } from './style'

/** What an import produced, for the caller's response (`{ shapes, edges, skipped }`). */
export interface ImportCounts {
  shapes: number
  edges: number
  unknownStencils: number
  skipped: number
  /** Cells left out or replaced by a placeholder, with the reason. */
  skippedItems: SkippedItem[]
}

/** The file-wide services a page import uses (embedded images are shared across pages). */
export interface PageContext {
  pageName: string
  embeddedAsset(n: number, w: number, h: number): TLAssetId | undefined
  maxImageBytes: number
}

const CONTAINER_KINDS = new Set<VertexKind>(['frame', 'group'])
const MIN_GROUP_CHILDREN = 2
/** draw.io turns a `horizontal=0` label a quarter turn counter-clockwise. */
const QUARTER_TURN_DEGREES = 90
const FULL_TURN_DEGREES = 360

/** draw.io `fontStyle` bits for the whole label: 1 bold, 2 italic, 4 underline, 8 strike-through. */
const FONT_STYLE_MARKS: ReadonlyArray<readonly [number, string]> = [
  [1, 'bold'],
  [2, 'italic'],
  [4, 'underline'],
  [8, 'strike'],
]

function labelOf(cell: RawCell, style: Style): TLRichText {
  const text = style.get('html') === '1' ? htmlToRichText(cell.value) : plainToRichText(cell.value)
  const bits = styleNumber(style, 'fontStyle', 0)
  return markAll(
    text,
    FONT_STYLE_MARKS.filter(([bit]) => (bits & bit) !== 0).map(([, mark]) => mark),
  )
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
    private readonly context: PageContext,
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
      // A labelled group keeps its label as a frame's name (tldraw groups have no label).
      if (cell.value.trim() !== '' && children.length > 0) kind = 'frame'
      else if (children.length < MIN_GROUP_CHILDREN) kind = 'flatten'
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

  /**
   * A label draw.io draws outside its shape (icons, images) as a text shape where draw.io puts it;
   * returns true when it did (the shape itself then has no label).
   */
  private outsideLabel(
    cell: RawCell,
    kind: VertexKind,
    label: TLRichText,
    parent: { id: TLParentId; origin: Point },
    extraIndices: IndexKey[],
  ): boolean {
    const style = this.style(cell)
    if (kind === 'frame' || kind === 'group' || kind === 'text' || kind === 'note') return false
    const text = richTextToPlain(label)
    const outside = isOutsideLabel(style)
    if (!text.trim() || !(outside || isVerticalLabel(style))) return false
    const index = extraIndices.shift()
    if (!index) return false
    const fontSize = styleNumber(style, 'fontSize', DEFAULT_FONT_SIZE)
    const box = this.page.boxes.get(cell.id)!
    const textStyle = new Map(style)
    let place: { box: Box; align: string }
    if (outside) {
      place = outsideLabelBox(style, box, text, fontSize)
      textStyle.delete('rotation')
    } else {
      // Turned with draw.io's label: a quarter turn back on top of the shape's own rotation, as
      // the angle in [0°, 360°) that an export writes and reads back.
      place = { box: verticalLabelBox(box, text, fontSize), align: style.get('align') ?? 'center' }
      const turned = styleNumber(style, 'rotation', 0) + FULL_TURN_DEGREES - QUARTER_TURN_DEGREES
      textStyle.set('rotation', String(turned % FULL_TURN_DEGREES))
      textStyle.set('whiteSpace', 'wrap')
    }
    textStyle.set('align', place.align)
    this.addText(textStyle, label, place.box, parent, index)
    return true
  }

  /** A label that stands on its own as a text shape (beside its cell or its edge). */
  private addText(
    style: Style,
    label: TLRichText,
    box: Box,
    parent: { id: TLParentId; origin: Point },
    index: IndexKey,
  ): void {
    const { shape } = importVertex(
      {
        style,
        label,
        box,
        parentOrigin: parent.origin,
        parentId: parent.id,
        index,
        embeddedAsset: () => undefined,
        maxImageBytes: this.context.maxImageBytes,
      },
      'text',
    )
    this.records.push(shape)
    this.counts.shapes += 1
  }

  importVertices(indices: IndexKey[], extraIndices: IndexKey[]): void {
    let next = 0
    for (const cell of this.page.content) {
      if (!cell.vertex || this.isEdgeLabel(cell)) continue
      const style = this.style(cell)
      const kind = this.kindOf(cell)
      if (kind === 'flatten') continue
      if (kind === 'stencil') this.counts.unknownStencils += 1
      const parent = this.tldrawParent(cell)
      const box = this.page.boxes.get(cell.id)!
      const label = labelOf(cell, style)
      const outside = this.outsideLabel(cell, kind, label, parent, extraIndices)
      const placed = {
        style,
        label: outside ? plainToRichText('') : label,
        box,
        parentOrigin: parent.origin,
        parentId: parent.id,
        index: indices[next++]!,
        embeddedAsset: this.context.embeddedAsset,
        maxImageBytes: this.context.maxImageBytes,
      }
      const { shape, asset, skipped } = importVertex(placed, kind)
      if (skipped)
        this.counts.skippedItems.push({ id: cell.id, page: this.context.pageName, reason: skipped })
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

  /** The edge's labelled cells (its own value first, then `edgeLabel` children) with their places. */
  private edgeLabels(edge: RawCell): Array<{ cell: RawCell; label: TLRichText; place: EdgeLabelPlace }> {
    return [edge, ...this.childVertices(edge.id)]
      .filter((c) => c.value.trim() !== '')
      .map((cell) => {
        const style = this.style(cell)
        const label = labelOf(cell, style)
        // An edge's own label sits at its geometry x; a child's at its relative geometry x.
        const x = cell === edge || cell.geometry.relative ? cell.geometry.x : 0
        const y = cell === edge ? 0 : cell.geometry.relative ? cell.geometry.y : 0
        return {
          cell,
          label,
          place: {
            text: richTextToPlain(label),
            fontSize: styleNumber(style, 'fontSize', DEFAULT_EDGE_FONT_SIZE),
            x: Math.min(1, Math.max(-1, x)),
            y,
            offset: cell === edge ? undefined : cell.geometry.offset,
          },
        }
      })
  }

  /** Text shapes for an edge's further labels, placed beside it (never on the arrow's label). */
  private extraLabels(
    path: Point[],
    main: EdgeLabelPlace | undefined,
    others: Array<{ cell: RawCell; label: TLRichText; place: EdgeLabelPlace }>,
    indices: IndexKey[],
  ): void {
    const boxes = placeExtraLabels(
      path,
      main,
      others.map((o) => o.place),
    )
    for (const [i, other] of others.entries()) {
      const index = indices.shift()
      if (!index) return
      const style = new Map(this.style(other.cell))
      style.delete('whiteSpace')
      if (!style.has('fontSize')) style.set('fontSize', String(DEFAULT_EDGE_FONT_SIZE))
      this.addText(style, other.label, boxes[i]!, { id: this.pageId, origin: { x: 0, y: 0 } }, index)
    }
  }

  importEdges(indices: IndexKey[], labelIndices: IndexKey[]): void {
    let next = 0
    for (const cell of this.page.content) {
      if (!cell.edge) {
        if (!cell.vertex) this.counts.skipped += 1
        continue
      }
      const base = this.page.parentOrigin(cell)
      const start = this.terminal(cell, 'source')
      const end = this.terminal(cell, 'target')
      const points = cell.geometry.points.map((p) => ({ x: base.x + p.x, y: base.y + p.y }))
      const [main, ...others] = this.edgeLabels(cell)
      const records = importEdge({
        style: this.style(cell),
        label: main?.label ?? plainToRichText(''),
        labelFontSize: main ? main.place.fontSize : undefined,
        start,
        end,
        points,
        labelPosition: labelPositionOf(main ? main.place.x : cell.geometry.x),
        parentId: this.pageId,
        index: indices[next++]!,
      })
      this.records.push(...records)
      if (records[0]?.typeName === 'shape' && records[0].type === 'arrow') this.counts.edges += 1
      else this.counts.shapes += 1
      if (others.length > 0) {
        const box = (id: string | undefined) => (id ? this.page.boxes.get(id) : undefined)
        const path = visiblePath([start.point, ...points, end.point], box(cell.source), box(cell.target))
        this.extraLabels(path, main?.place, others, labelIndices)
      }
    }
  }
}

/** The records of one page; shapes sort above `indexAbove` when given. */
export function importPage(
  page: ResolvedPage,
  pageId: TLPageId,
  indexAbove: IndexKey | undefined,
  counts: ImportCounts,
  context: PageContext,
): TLRecord[] {
  const vertexCount = page.content.filter((c) => c.vertex).length
  const edgeCount = page.content.filter((c) => c.edge).length
  // Edge-label cells are counted among the vertices; labels that become text shapes (at most one
  // per vertex) take indexes above every arrow.
  const total = vertexCount * 2 + edgeCount
  const indices = indexAbove ? getIndicesAbove(indexAbove, total) : getIndices(total)
  const importer = new PageImporter(page, pageId, counts, context)
  // Labels that become text shapes (outside labels, further edge labels) share one pool.
  const extraIndices = indices.slice(vertexCount + edgeCount)
  importer.importVertices(indices.slice(0, vertexCount), extraIndices)
  importer.importEdges(indices.slice(vertexCount, vertexCount + edgeCount), extraIndices)
  return importer.records
}
