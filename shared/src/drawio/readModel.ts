/**
 * draw.io XML text → pages of raw cells: `<mxfile>` with plain or compressed `<diagram>`s, or a
 * bare `<mxGraphModel>`; `<object>`/`<UserObject>` wrappers unwrapped (label and id on the wrapper).
 * Every cell is checked against RawCellSchema and the limits. Must not touch: records, styles.
 */

import type { SkippedItem } from '../protocol/drawio'
import { decompressDiagram } from './codec'
import type { ImageCollector } from './embeddedImages'
import { IMPORT_LIMITS, type RawCell, RawCellSchema } from './limits'
import { shortenStyle } from './longStyles'
import { applyPlaceholders } from './placeholders'
import { parseXml } from './readInput'
import type { XmlElement } from './xmlTree'

export interface RawPage {
  name: string
  cells: RawCell[]
  /** Cells read with less than the file holds (a style shortened to the limit), and why. */
  skipped: SkippedItem[]
}

type CellsRead = { ok: true; cells: RawCell[]; notes: Array<{ id: string; reason: string }> }

export type ModelResult = { ok: true; pages: RawPage[] } | { ok: false; error: string }

const WRAPPERS = new Set(['object', 'UserObject'])

function elementChildren(element: XmlElement, name?: string): XmlElement[] {
  return name ? element.childrenNamed(name) : element.children
}

function numberAttr(element: XmlElement | undefined, name: string, fallback = 0): number {
  const raw = element?.getAttribute(name)
  if (raw === null || raw === undefined || raw === '') return fallback
  return Number(raw)
}

function readPoint(element: XmlElement) {
  return { x: numberAttr(element, 'x'), y: numberAttr(element, 'y') }
}

function readGeometry(geometry: XmlElement | undefined, collapsed: boolean): RawCell['geometry'] {
  const points = geometry ? elementChildren(geometry, 'mxPoint') : []
  // A collapsed container keeps its expanded size in `alternateBounds`: import it expanded.
  const expanded = collapsed
    ? geometry &&
      elementChildren(geometry, 'mxRectangle').find((r) => r.getAttribute('as') === 'alternateBounds')
    : undefined
  const array = geometry
    ? elementChildren(geometry, 'Array').find((a) => a.getAttribute('as') === 'points')
    : undefined
  const role = (as: string) => points.find((p) => p.getAttribute('as') === as)
  const source = role('sourcePoint')
  const target = role('targetPoint')
  const offset = role('offset')
  return {
    x: numberAttr(geometry, 'x'),
    y: numberAttr(geometry, 'y'),
    width: Math.max(numberAttr(geometry, 'width'), numberAttr(expanded, 'width')),
    height: Math.max(numberAttr(geometry, 'height'), numberAttr(expanded, 'height')),
    relative: geometry?.getAttribute('relative') === '1',
    sourcePoint: source ? readPoint(source) : undefined,
    targetPoint: target ? readPoint(target) : undefined,
    offset: offset ? readPoint(offset) : undefined,
    points: array ? elementChildren(array, 'mxPoint').map(readPoint) : [],
  }
}

function optionalAttr(element: XmlElement, name: string): string | undefined {
  return element.getAttribute(name) ?? undefined
}

/** A wrapper's data attributes (its label is the cell's value). */
function wrapperAttributes(wrapper: XmlElement): Record<string, string> | undefined {
  const entries = wrapper.attributeEntries().filter(([name]) => name !== 'label')
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

/** One `<mxCell>` (or wrapper holding one) → a checked raw cell. */
function readCell(
  element: XmlElement,
  images: ImageCollector,
): { ok: true; cell: RawCell; note?: string } | { ok: false; error: string } {
  const wrapper = WRAPPERS.has(element.nodeName) ? element : undefined
  const cell = wrapper ? elementChildren(wrapper, 'mxCell')[0] : element
  const labelSource = wrapper ?? cell
  // Embedded image data leaves the style first, so the style limit applies to the rest; a style
  // still over it loses its long values (inline stencils…) instead of refusing the file.
  const style = images.take(cell?.getAttribute('style') ?? '')
  const shortened = shortenStyle(style, IMPORT_LIMITS.maxStyleChars)
  const raw = {
    id: labelSource?.getAttribute('id') ?? '',
    parent: cell ? optionalAttr(cell, 'parent') : undefined,
    value: (wrapper ? wrapper.getAttribute('label') : cell?.getAttribute('value')) ?? '',
    attributes: wrapper ? wrapperAttributes(wrapper) : undefined,
    style: shortened?.style ?? style,
    vertex: cell?.getAttribute('vertex') === '1',
    edge: cell?.getAttribute('edge') === '1',
    source: cell ? optionalAttr(cell, 'source') : undefined,
    target: cell ? optionalAttr(cell, 'target') : undefined,
    geometry: readGeometry(
      cell ? elementChildren(cell, 'mxGeometry')[0] : undefined,
      cell?.getAttribute('collapsed') === '1',
    ),
  }
  const checked = RawCellSchema.safeParse(raw)
  if (checked.success) return { ok: true, cell: checked.data, note: shortened?.reason }
  const issue = checked.error.issues[0]
  return {
    ok: false,
    error: `cell ${JSON.stringify(raw.id.slice(0, 64))}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`,
  }
}

function readCells(
  model: XmlElement,
  budget: Budget,
  images: ImageCollector,
): CellsRead | { ok: false; error: string } {
  const root = elementChildren(model, 'root')[0]
  if (!root) return { ok: false, error: 'an mxGraphModel has no <root>' }
  const cells: RawCell[] = []
  const notes: CellsRead['notes'] = []
  for (const element of elementChildren(root)) {
    if (element.nodeName !== 'mxCell' && !WRAPPERS.has(element.nodeName)) continue
    budget.cells += 1
    if (budget.cells > IMPORT_LIMITS.maxCells)
      return { ok: false, error: `the file has more than ${IMPORT_LIMITS.maxCells} cells` }
    const result = readCell(element, images)
    if (!result.ok) return result
    cells.push(result.cell)
    if (result.note) notes.push({ id: result.cell.id, reason: result.note })
  }
  return { ok: true, cells, notes }
}

/** What one file may still use: cells, and inflated XML summed over every compressed page. */
interface Budget {
  cells: number
  inflatedBytes: number
}

function modelOfDiagram(
  diagram: XmlElement,
  budget: Budget,
): { ok: true; model: XmlElement } | { ok: false; error: string } {
  const inline = elementChildren(diagram, 'mxGraphModel')[0]
  if (inline) return { ok: true, model: inline }
  const text = diagram.text.trim()
  if (!text) return { ok: false, error: 'a <diagram> is empty' }
  const decoded = text.startsWith('<')
    ? { ok: true as const, text }
    : decompressDiagram(text, IMPORT_LIMITS.maxXmlBytes - budget.inflatedBytes)
  if (!decoded.ok) return decoded
  budget.inflatedBytes += decoded.text.length
  const parsed = parseXml(decoded.text)
  if (!parsed.ok) return parsed
  const model = parsed.doc.documentElement
  return model && model.nodeName === 'mxGraphModel'
    ? { ok: true, model }
    : { ok: false, error: 'a compressed <diagram> holds no mxGraphModel' }
}

function pageOf(name: string, read: CellsRead, number = 1, count = 1): RawPage {
  return {
    name,
    cells: applyPlaceholders(read.cells, { name, number, count }),
    skipped: read.notes.map((note) => ({ ...note, page: name })),
  }
}

/** draw.io XML text → raw pages; never throws. */
export function readModel(text: string, images: ImageCollector): ModelResult {
  const parsed = parseXml(text)
  if (!parsed.ok) return parsed
  const top = parsed.doc.documentElement
  if (!top) return { ok: false, error: 'the file has no XML root element' }
  const budget: Budget = { cells: 0, inflatedBytes: 0 }
  if (top.nodeName === 'mxGraphModel') {
    const cells = readCells(top, budget, images)
    return cells.ok ? { ok: true, pages: [pageOf('Page-1', cells)] } : cells
  }
  if (top.nodeName !== 'mxfile')
    return { ok: false, error: `expected <mxfile> or <mxGraphModel>, found <${top.nodeName}>` }
  const diagrams = elementChildren(top, 'diagram')
  if (diagrams.length === 0) return { ok: false, error: 'the mxfile has no <diagram>' }
  if (diagrams.length > IMPORT_LIMITS.maxPages)
    return { ok: false, error: `the file has more than ${IMPORT_LIMITS.maxPages} pages` }
  const pages: RawPage[] = []
  for (const [i, diagram] of diagrams.entries()) {
    const model = modelOfDiagram(diagram, budget)
    if (!model.ok) return model
    const cells = readCells(model.model, budget, images)
    if (!cells.ok) return cells
    pages.push(pageOf(diagram.getAttribute('name') || `Page-${i + 1}`, cells, i + 1, diagrams.length))
  }
  return { ok: true, pages }
}
