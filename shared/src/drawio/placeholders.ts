/**
 * draw.io's placeholders: a cell whose `<object>` wrapper has `placeholders="1"` (or whose style has
 * `placeholders=1`) shows `%name%` in its label as
 * the value of the attribute `name` of its `<object>` wrapper, else of the nearest ancestor's
 * wrapper that has it, else a page variable (`%page%`, `%pagenumber%`, `%pagecount%`); anything
 * else stays as written, as in draw.io (C4 diagrams are built this way: `%c4Name%`). Values are
 * text: HTML labels get them escaped. Must not touch: records, styles beyond reading the flag.
 */
import { IMPORT_LIMITS, type RawCell } from './limits'
import { escapeHtml, parseStyle } from './style'

// draw.io's `placeholderPattern` without its `date{…}` form (dates are not substituted).
const PLACEHOLDER = /%([^%^{}\s"'=;]+)%/g
/** Names draw.io never substitutes from attributes. */
const RESERVED = new Set(['label', 'tooltip', 'placeholders'])

export interface PageVariables {
  name: string
  number: number
  count: number
}

function pageVariable(name: string, page: PageVariables): string | undefined {
  if (name === 'page') return page.name
  if (name === 'pagenumber') return String(page.number)
  if (name === 'pagecount') return String(page.count)
  return undefined
}

/** The page's cells with placeholders in their labels filled in; the rest untouched. */
export function applyPlaceholders(cells: RawCell[], page: PageVariables): RawCell[] {
  const byId = new Map(cells.map((cell) => [cell.id, cell]))
  const lookup = (cell: RawCell, name: string): string | undefined => {
    let current: RawCell | undefined = cell
    // Bounded walk: parent chains are only checked (cycles, depth) after this.
    for (let depth = 0; current && depth <= IMPORT_LIMITS.maxDepth; depth += 1) {
      const value = current.attributes?.[name]
      if (value !== undefined) return value
      current = current.parent === undefined ? undefined : byId.get(current.parent)
    }
    return pageVariable(name, page)
  }
  return cells.map((cell) => {
    if (!cell.value.includes('%')) return cell
    const style = parseStyle(cell.style)
    if (cell.attributes?.placeholders !== '1' && style.get('placeholders') !== '1') return cell
    const html = style.get('html') === '1'
    const value = cell.value.replace(PLACEHOLDER, (whole, name: string) => {
      if (RESERVED.has(name)) return whole
      const found = lookup(cell, name)
      if (found === undefined) return whole
      return html ? escapeHtml(found) : found
    })
    return { ...cell, value: value.slice(0, IMPORT_LIMITS.maxLabelChars) }
  })
}
