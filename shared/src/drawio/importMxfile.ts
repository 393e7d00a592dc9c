/**
 * An untrusted draw.io file → new tldraw records: the first diagram onto the caller's page, each
 * further diagram onto a new page; new ids throughout, fractional indexes with arrows above every
 * shape, every record validated. Returns `{ ok: false, error }` for anything refused; never throws.
 * Placement in free space is the caller's (see `boundsOf`). Must not touch: Yjs, I/O.
 */
import {
  PageRecordType,
  type TLPageId,
  type TLParentId,
  type TLRecord,
  type TLRichText,
  type TLShapeId,
} from '@tldraw/tlschema'
import { getIndexAbove, getIndices, getIndicesAbove, type IndexKey } from '@tldraw/utils'
import { buildPage } from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import type { Point } from './geometry'
import { importEdge, type Terminal } from './importEdges'
import { importVertex, type VertexKind, vertexKind } from './importShapes'
import { ImportOptionsSchema, type RawCell } from './limits'
import { diagramText } from './readInput'
import { type RawPage, readModel } from './readModel'
import { type ResolvedPage, resolveCells } from './resolveCells'
import { htmlToRichText, plainToRichText } from './richText'
import { parseStyle, type Style, styleNumber } from './style'

export interface ImportOptions {
  /** The page the first diagram lands on. */
  pageId: string
  /** Added to every position (the caller's free-space offset). */
  origin?: Point
  /** Imported shapes on `pageId` sort above this index. */
  indexAbove?: IndexKey
  /** New pages (a file's second and later diagrams) sort above this page index. */
  pageIndexAbove?: IndexKey
}

export interface ImportedPage {
  pageId: TLPageId
  name: string
  /** True when the page record is new and is in `records`. */
  created: boolean
}

export type MxfileImport =
  | {
      ok: true
      pages: ImportedPage[]
      records: TLRecord[]
      shapes: number
      edges: number
      unknownStencils: number
      skipped: number
    }
  | { ok: false; error: string }

interface Counts {
  shapes: number
  edges: number
  unknownStencils: number
  skipped: number
}

const CONTAINER_KINDS = new Set<VertexKind>(['frame', 'group'])
const MIN_GROUP_CHILDREN = 2
const MAX_PAGE_NAME_CHARS = 200

function labelOf(cell: RawCell, style: Style): TLRichText {
  return style.get('html') === '1' ? htmlToRichText(cell.value) : plainToRichText(cell.value)
}

class PageImporter {
  readonly records: TLRecord[] = []
  private readonly newIds = new Map<string, TLShapeId>()
  private readonly kinds = new Map<string, VertexKind | 'flatten'>()
  private readonly styles = new Map<string, Style>()

  constructor(
    private readonly page: ResolvedPage,
    private readonly pageId: TLPageId,
    private readonly counts: Counts,
  ) {}

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
      const children = this.page.content.filter(
        (c) => c.parent === cell.id && c.vertex && !this.isEdgeLabel(c),
      )
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
    const labelled = [edge, ...this.page.content.filter((c) => c.parent === edge.id && c.vertex)].filter(
      (c) => c.value,
    )
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

function importPage(
  page: ResolvedPage,
  pageId: TLPageId,
  indexAbove: IndexKey | undefined,
  counts: Counts,
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

/** True when `key` is a fractional index the tldraw helpers accept. */
function isIndexKey(key: string | undefined): boolean {
  if (key === undefined) return true
  try {
    getIndexAbove(key as IndexKey)
    return true
  } catch {
    return false
  }
}

function importModel(pagesRead: RawPage[], options: ImportOptions): MxfileImport {
  const origin = options.origin ?? { x: 0, y: 0 }
  const counts: Counts = { shapes: 0, edges: 0, unknownStencils: 0, skipped: 0 }
  const records: TLRecord[] = []
  const pages: ImportedPage[] = []
  let pageIndex = getIndexAbove((options.pageIndexAbove as IndexKey | undefined) ?? null)
  for (const [i, raw] of pagesRead.entries()) {
    const resolved = resolveCells(raw.cells, i === 0 ? origin : { x: 0, y: 0 })
    if (!resolved.ok) return { ok: false, error: `page ${JSON.stringify(raw.name)}: ${resolved.error}` }
    const created = i > 0
    const pageId = created ? PageRecordType.createId() : (options.pageId as TLPageId)
    if (created) {
      records.push(buildPage({ id: pageId, name: raw.name.slice(0, MAX_PAGE_NAME_CHARS), index: pageIndex }))
      pageIndex = getIndexAbove(pageIndex)
    }
    pages.push({ pageId, name: raw.name, created })
    const indexAbove = i === 0 ? (options.indexAbove as IndexKey | undefined) : undefined
    for (const record of importPage(resolved.page, pageId, indexAbove, counts)) records.push(record)
  }
  for (const record of records) {
    const valid = validateDocumentRecord(record)
    if (!valid.ok) return { ok: false, error: `an imported record does not validate: ${valid.error}` }
  }
  return { ok: true, pages, records, ...counts }
}

/**
 * Imports a `.drawio`/`.xml` (plain or compressed), bare mxGraphModel, `.drawio.svg` or
 * `.drawio.png`. Never throws: anything refused, and any unexpected failure, is `{ ok: false }`.
 */
export function mxfileToRecords(input: string | Uint8Array, options: ImportOptions): MxfileImport {
  const checked = ImportOptionsSchema.safeParse(options)
  if (!checked.success)
    return { ok: false, error: `invalid import options: ${checked.error.issues[0]?.message ?? ''}` }
  if (!isIndexKey(options.indexAbove) || !isIndexKey(options.pageIndexAbove)) {
    return { ok: false, error: 'invalid import options: not a fractional index key' }
  }
  try {
    const text = diagramText(input)
    if (!text.ok) return text
    const model = readModel(text.text)
    if (!model.ok) return model
    return importModel(model.pages, options)
  } catch (error) {
    return {
      ok: false,
      error: `the file could not be imported: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}
