/**
 * draw.io style values → tldraw style props (colour, fill, dash, size, font, alignment), the
 * reverse of exportStyles.ts. Unknown or missing values fall back to draw.io's own defaults.
 * Must not touch: geometry, records.
 */
import type {
  TLArrowShapeArrowheadStyle,
  TLDefaultColorStyle,
  TLDefaultDashStyle,
  TLDefaultFillStyle,
  TLDefaultFontStyle,
  TLDefaultHorizontalAlignStyle,
  TLDefaultSizeStyle,
  TLDefaultVerticalAlignStyle,
} from '@tldraw/tlschema'
import { DASH_HINT_KEY, DOTTED_PATTERN, FILL_HINT_KEY } from './exportStyles'
import { nearestColor, nearestSize, PALETTE, STROKE_WIDTHS, sameHex } from './palette'
import { type Style, styleNumber } from './style'

/** draw.io's defaults for vertices without those keys. */
const DEFAULT_STROKE = '#000000'
export const DEFAULT_FONT_SIZE = 12
/** draw.io's default font size of edges and edge labels (its `edge` / `edgeLabel` styles). */
export const DEFAULT_EDGE_FONT_SIZE = 11
/** Font sizes outside this range (px) are clamped: a 0 px or 10,000 px label helps nobody. */
const MIN_FONT_SIZE = 4
const MAX_FONT_SIZE = 400
const DEFAULT_STROKE_WIDTH = 1
const FULL_OPACITY = 100
const DASH_HINTS = new Set<string>(['draw', 'solid', 'dashed', 'dotted', 'none'])
const FILL_HINTS = new Set<string>(['none', 'semi', 'solid', 'fill', 'pattern', 'lined-fill'])

export function colorOf(style: Style): TLDefaultColorStyle {
  const stroke = style.get('strokeColor') ?? DEFAULT_STROKE
  return nearestColor(stroke) ?? nearestColor(style.get('fillColor'), 'semi') ?? 'black'
}

export function labelColorOf(style: Style): TLDefaultColorStyle {
  return nearestColor(style.get('fontColor') ?? DEFAULT_STROKE) ?? 'black'
}

export function fillOf(
  style: Style,
  color: TLDefaultColorStyle,
  defaultFill = '#ffffff',
): TLDefaultFillStyle {
  const hint = style.get(FILL_HINT_KEY)
  if (hint && FILL_HINTS.has(hint)) return hint as TLDefaultFillStyle
  const fill = style.get('fillColor') ?? defaultFill
  if (fill === 'none' || fill === '') return 'none'
  const pattern = style.get('fillStyle')
  if (pattern === 'hatch') return 'lined-fill'
  if (pattern === 'cross-hatch' || pattern === 'dots' || pattern === 'zigzag-line') return 'pattern'
  if (sameHex(fill, '#ffffff')) return 'semi'
  if (sameHex(fill, PALETTE[color].solid) && color !== 'white') return 'fill'
  return 'solid'
}

export function dashOf(style: Style): TLDefaultDashStyle {
  const hint = style.get(DASH_HINT_KEY)
  if (hint && DASH_HINTS.has(hint)) return hint as TLDefaultDashStyle
  if (style.get('dashed') !== '1') return 'solid'
  const pattern = style.get('dashPattern')
  return pattern === DOTTED_PATTERN || pattern?.startsWith('1 ') ? 'dotted' : 'dashed'
}

/** Size from `strokeWidth`; `widthFactor` undoes a multiplier the export applied (highlights). */
export function sizeOf(style: Style, widthFactor = 1): TLDefaultSizeStyle {
  return nearestSize(styleNumber(style, 'strokeWidth', DEFAULT_STROKE_WIDTH) / widthFactor, STROKE_WIDTHS)
}

/** The size whose font size (at `scale`) is nearest to the style's `fontSize`. */
export function fontSizeOf(
  style: Style,
  table: Readonly<Record<TLDefaultSizeStyle, number>>,
  scale = 1,
): TLDefaultSizeStyle {
  return nearestSize(styleNumber(style, 'fontSize', DEFAULT_FONT_SIZE) / scale, table)
}

/**
 * The tldraw size and `scale` that draw a label at exactly the style's `fontSize` (tldraw's label
 * size × scale = font size; box, stroke and text all scale together). Of the four sizes, the one
 * whose stroke at that scale is nearest to the style's `strokeWidth` wins (the ratio of stroke
 * to font differs per size, so a Drawbridge export reads back to its own size); without a
 * visible stroke, the size whose font is nearest at scale 1.
 */
export function sizeAndScale(
  style: Style,
  table: Readonly<Record<TLDefaultSizeStyle, number>>,
  defaultFontSize = DEFAULT_FONT_SIZE,
  stroked = style.get('strokeColor') !== 'none',
): { size: TLDefaultSizeStyle; scale: number } {
  const fontSize = Math.min(
    MAX_FONT_SIZE,
    Math.max(MIN_FONT_SIZE, styleNumber(style, 'fontSize', defaultFontSize)),
  )
  const strokeWidth = styleNumber(style, 'strokeWidth', DEFAULT_STROKE_WIDTH)
  let size = nearestSize(fontSize, table)
  if (stroked && strokeWidth > 0) {
    let best = Number.POSITIVE_INFINITY
    for (const candidate of ['s', 'm', 'l', 'xl'] as const) {
      const drawn = (STROKE_WIDTHS[candidate] * fontSize) / table[candidate]
      const miss = Math.abs(Math.log(drawn / strokeWidth))
      if (miss < best - 1e-9) {
        best = miss
        size = candidate
      }
    }
  }
  return { size, scale: fontSize / table[size] }
}

/** Hand-drawn only when the file says so (a hand-written family or draw.io's `sketch=1`). */
export function fontOf(style: Style): TLDefaultFontStyle {
  const family = (style.get('fontFamily') ?? '').toLowerCase()
  if (style.get('sketch') === '1' && !/courier|mono|consol|times|serif|georgia/.test(family)) return 'draw'
  if (/courier|mono|consol/.test(family)) return 'mono'
  if (/times|serif|georgia|garamond/.test(family) && !/sans/.test(family)) return 'serif'
  if (/comic|architects|shantell|virgil|xkcd|hand/.test(family)) return 'draw'
  return 'sans'
}

export type Align = Extract<TLDefaultHorizontalAlignStyle, 'start' | 'middle' | 'end'>

export function alignOf(style: Style, fallback: Align): Align {
  const align = style.get('align')
  return align === 'left' ? 'start' : align === 'right' ? 'end' : align === 'center' ? 'middle' : fallback
}

export function verticalAlignOf(style: Style): TLDefaultVerticalAlignStyle {
  const align = style.get('verticalAlign')
  return align === 'top' ? 'start' : align === 'bottom' ? 'end' : 'middle'
}

export function opacityOf(style: Style): number {
  return Math.min(1, Math.max(0, styleNumber(style, 'opacity', FULL_OPACITY) / FULL_OPACITY))
}

/** Rotation in radians (draw.io stores degrees about the centre). */
export function rotationOf(style: Style): number {
  return (styleNumber(style, 'rotation', 0) * Math.PI) / 180
}

const ARROW_NAMES: Readonly<Record<string, TLArrowShapeArrowheadStyle>> = {
  none: 'none',
  '': 'none',
  classic: 'arrow',
  classicThin: 'arrow',
  open: 'arrow',
  openThin: 'arrow',
  openAsync: 'arrow',
  async: 'arrow',
  box: 'square',
  oval: 'dot',
  circle: 'dot',
  circlePlus: 'dot',
  diamond: 'diamond',
  diamondThin: 'diamond',
  dash: 'pipe',
  cross: 'pipe',
  ERone: 'bar',
  ERmandOne: 'bar',
  baseDash: 'bar',
}

/** An arrowhead from `startArrow`/`endArrow` and its fill flag. */
export function arrowheadOf(style: Style, end: 'start' | 'end'): TLArrowShapeArrowheadStyle {
  const name = style.get(`${end}Arrow`) ?? (end === 'end' ? 'classic' : 'none')
  if (name === 'block' || name === 'blockThin')
    return style.get(`${end}Fill`) === '0' ? 'inverted' : 'triangle'
  return ARROW_NAMES[name] ?? 'arrow'
}
