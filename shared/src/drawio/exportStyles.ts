/**
 * tldraw style props → draw.io style entries (stroke, fill, dash, size, font, opacity). Owns the
 * export side of those mappings; the import side lives in importStyles.ts. Must not touch: XML.
 */
import type {
  TLDefaultColorStyle,
  TLDefaultDashStyle,
  TLDefaultFillStyle,
  TLDefaultFontStyle,
  TLDefaultSizeStyle,
} from '@tldraw/tlschema'
import { BACKGROUND_HEX, PALETTE } from './palette'
import type { StyleValue } from './style'

export type Entries = Array<readonly [string, StyleValue]>

/** Drawbridge's own style keys, kept by draw.io, read back on import where draw.io has no match. */
export const DASH_HINT_KEY = 'dbDash'
export const FILL_HINT_KEY = 'dbFill'
export const SHAPE_HINT_KEY = 'dbShape'
export const CLOSED_HINT_KEY = 'dbClosed'

/** draw.io `dashPattern` for tldraw's dotted dash. */
export const DOTTED_PATTERN = '1 4'
const FULL_OPACITY = 100

/** tldraw font → draw.io `fontFamily`. */
export const FONT_FAMILIES: Readonly<Record<TLDefaultFontStyle, string>> = {
  draw: 'Comic Sans MS',
  sans: 'Helvetica',
  serif: 'Times New Roman',
  mono: 'Courier New',
}

export function strokeEntries(color: TLDefaultColorStyle, width: number): Entries {
  return [
    ['strokeColor', PALETTE[color].solid],
    ['strokeWidth', width],
  ]
}

/** Fill: none → none; semi → canvas white; solid → tint; fill → full colour; pattern/lined → tint + fillStyle. */
export function fillEntries(color: TLDefaultColorStyle, fill: TLDefaultFillStyle): Entries {
  switch (fill) {
    case 'none':
      return [['fillColor', 'none']]
    case 'semi':
      return [
        ['fillColor', BACKGROUND_HEX],
        [FILL_HINT_KEY, 'semi'],
      ]
    case 'solid':
      return [['fillColor', PALETTE[color].semi]]
    case 'fill':
      return [['fillColor', PALETTE[color].solid]]
    case 'pattern':
      return [
        ['fillColor', PALETTE[color].semi],
        ['fillStyle', 'cross-hatch'],
      ]
    case 'lined-fill':
      return [
        ['fillColor', PALETTE[color].semi],
        ['fillStyle', 'hatch'],
      ]
    default:
      return exhaustive(fill)
  }
}

/** Dash: draw → solid line plus the dbDash hint; dashed → dashed=1; dotted → dashed=1 + dot pattern. */
export function dashEntries(dash: TLDefaultDashStyle): Entries {
  switch (dash) {
    case 'draw':
      return [[DASH_HINT_KEY, 'draw']]
    case 'solid':
      return []
    case 'none':
      return [
        ['strokeColor', 'none'],
        [DASH_HINT_KEY, 'none'],
      ]
    case 'dashed':
      return [['dashed', '1']]
    case 'dotted':
      return [
        ['dashed', '1'],
        ['dashPattern', DOTTED_PATTERN],
      ]
    default:
      return exhaustive(dash)
  }
}

export function fontEntries(
  color: TLDefaultColorStyle,
  font: TLDefaultFontStyle,
  size: TLDefaultSizeStyle,
  table: Readonly<Record<TLDefaultSizeStyle, number>>,
  scale: number,
): Entries {
  return [
    ['fontColor', PALETTE[color].solid],
    ['fontFamily', FONT_FAMILIES[font]],
    ['fontSize', table[size] * scale],
  ]
}

/** Rotation (degrees, omitted at 0) and opacity (0–100, omitted at 100). */
export function transformEntries(degrees: number, opacity: number): Entries {
  const percent = Math.round(opacity * FULL_OPACITY)
  return [
    ['rotation', degrees === 0 ? undefined : degrees],
    ['opacity', percent === FULL_OPACITY ? undefined : percent],
  ]
}

export function exhaustive(value: never): never {
  throw new Error(`unexpected value ${String(value)}`)
}
