/**
 * tldraw's default colour palette (light theme, tldraw 5.4.2) as hex, the size tables, and the
 * nearest-colour search used on import. Owns: colour and size conversions between tldraw styles
 * and draw.io style values. Must not touch: XML, records.
 */
import type { TLDefaultColorStyle, TLDefaultSizeStyle } from '@tldraw/tlschema'

export interface PaletteEntry {
  /** Stroke, text and `fill: 'fill'` colour. */
  solid: string
  /** The light tint tldraw uses for `fill: 'solid'` and pattern backgrounds. */
  semi: string
  /** Sticky-note background. */
  note: string
}

/** Light-theme values from tldraw's default theme; the table is repeated in docs/drawio.md. */
export const PALETTE: Readonly<Record<TLDefaultColorStyle, PaletteEntry>> = {
  black: { solid: '#1d1d1d', semi: '#e8e8e8', note: '#fce19c' },
  blue: { solid: '#4465e9', semi: '#dce1f8', note: '#8aa3ff' },
  green: { solid: '#099268', semi: '#d3e9e3', note: '#6fc896' },
  grey: { solid: '#9fa8b2', semi: '#eceef0', note: '#c0cad3' },
  'light-blue': { solid: '#4ba1f1', semi: '#ddedfa', note: '#9bc4fd' },
  'light-green': { solid: '#4cb05e', semi: '#dbf0e0', note: '#98d08a' },
  'light-red': { solid: '#f87777', semi: '#f4dadb', note: '#f7a5a1' },
  'light-violet': { solid: '#e085f4', semi: '#f5eafa', note: '#dfb0f9' },
  orange: { solid: '#e16919', semi: '#f8e2d4', note: '#faa475' },
  red: { solid: '#e03131', semi: '#f4dadb', note: '#fc8282' },
  violet: { solid: '#ae3ec9', semi: '#ecdcf2', note: '#db91fd' },
  yellow: { solid: '#f1ac4b', semi: '#f9f0e6', note: '#fed49a' },
  white: { solid: '#ffffff', semi: '#f5f5f5', note: '#ffffff' },
}

/** The canvas background tldraw paints under `fill: 'semi'`. */
export const BACKGROUND_HEX = '#ffffff'

export const COLOR_NAMES = Object.keys(PALETTE) as TLDefaultColorStyle[]

/** Stroke widths tldraw draws each size with (px at scale 1). */
export const STROKE_WIDTHS: Readonly<Record<TLDefaultSizeStyle, number>> = { s: 2, m: 3.5, l: 5, xl: 10 }
/** Font sizes of labels inside geo shapes and notes (16 px × LABEL_FONT_SIZES in tldraw 5.4.2). */
export const LABEL_FONT_SIZES: Readonly<Record<TLDefaultSizeStyle, number>> = { s: 18, m: 22, l: 26, xl: 32 }
/** Font sizes of arrow labels (tldraw 5.4.2: 16 px × ARROW_LABEL_FONT_SIZES 1.125/1.25/1.5/1.75). */
export const ARROW_LABEL_FONT_SIZES: Readonly<Record<TLDefaultSizeStyle, number>> = {
  s: 18,
  m: 20,
  l: 24,
  xl: 28,
}
/** Font sizes of free text shapes. */
export const TEXT_FONT_SIZES: Readonly<Record<TLDefaultSizeStyle, number>> = { s: 18, m: 24, l: 36, xl: 44 }

const SIZE_NAMES: readonly TLDefaultSizeStyle[] = ['s', 'm', 'l', 'xl']
const HEX_SHORT_LENGTH = 4
const HEX_LONG_LENGTH = 7
/** CSS colour names that diagrams written by people use (draw.io styles, Mermaid `style` lines). */
export const CSS_COLOR_NAMES: Readonly<Record<string, string>> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  grey: '#808080',
  gray: '#808080',
  purple: '#800080',
  violet: '#ee82ee',
  pink: '#ffc0cb',
  lightblue: '#add8e6',
  lightgreen: '#90ee90',
  lightgrey: '#d3d3d3',
  lightgray: '#d3d3d3',
  darkblue: '#00008b',
  darkgreen: '#006400',
  darkred: '#8b0000',
  cyan: '#00ffff',
  magenta: '#ff00ff',
  gold: '#ffd700',
  brown: '#a52a2a',
  navy: '#000080',
  teal: '#008080',
}

export type Rgb = readonly [number, number, number]

/** Parses `#rgb`, `#rrggbb` or a few CSS names; anything else (none, default, gradients) is null. */
export function parseHex(value: string | undefined): Rgb | null {
  if (!value) return null
  const text = (CSS_COLOR_NAMES[value.trim().toLowerCase()] ?? value).trim()
  if (!text.startsWith('#')) return null
  const hex =
    text.length === HEX_SHORT_LENGTH
      ? [...text.slice(1)].map((c) => c + c).join('')
      : text.length === HEX_LONG_LENGTH
        ? text.slice(1)
        : ''
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) return null
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb
}

function distance(a: Rgb, b: Rgb): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2
}

export interface Hsl {
  h: number
  s: number
  l: number
}

const CHANNEL_MAX = 255
const HUE_TURN = 360
/** Below this saturation a colour counts as grey (black, grey, white). */
const CHROMATIC_SATURATION = 0.15
/** Penalty for matching a grey against a hue (or the reverse). */
const CHROMA_MISMATCH = 1.5
const HUE_WEIGHT = 2

/** Hue (degrees), saturation and lightness (0–1) of an RGB colour. */
export function toHsl([r8, g8, b8]: Rgb): Hsl {
  const [r, g, b] = [r8 / CHANNEL_MAX, g8 / CHANNEL_MAX, b8 / CHANNEL_MAX]
  const max = Math.max(r, g, b)
  const min = Math.min(r, g, b)
  const l = (max + min) / 2
  const d = max - min
  if (d === 0) return { h: 0, s: 0, l }
  const s = d / (1 - Math.abs(2 * l - 1))
  const sector = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4
  return { h: sector * 60, s, l }
}

/** A perceptual-enough distance: hue first for colours, lightness for greys. */
function colorDistance(a: Hsl, b: Hsl): number {
  const chromaticA = a.s >= CHROMATIC_SATURATION
  const chromaticB = b.s >= CHROMATIC_SATURATION
  const lightness = Math.abs(a.l - b.l)
  if (chromaticA !== chromaticB) return CHROMA_MISMATCH + lightness
  if (!chromaticA) return lightness
  const hue = Math.min(Math.abs(a.h - b.h), HUE_TURN - Math.abs(a.h - b.h)) / (HUE_TURN / 2)
  return hue * HUE_WEIGHT + lightness + Math.abs(a.s - b.s) / 2
}

const ENTRY_NAMES: ReadonlyArray<keyof PaletteEntry> = ['solid', 'semi', 'note']

/** Every palette entry in HSL, computed once. */
const PALETTE_HSL: ReadonlyMap<
  keyof PaletteEntry,
  ReadonlyArray<readonly [TLDefaultColorStyle, Hsl]>
> = new Map(
  ENTRY_NAMES.map((entry) => [
    entry,
    COLOR_NAMES.map((name) => [name, toHsl(parseHex(PALETTE[name][entry]) ?? [0, 0, 0])] as const),
  ]),
)

/** The tldraw colour whose chosen palette entry is nearest (hue, then lightness) to a draw.io colour. */
export function nearestColor(
  value: string | undefined,
  entry: keyof PaletteEntry = 'solid',
): TLDefaultColorStyle | null {
  const rgb = parseHex(value)
  if (!rgb) return null
  const hsl = toHsl(rgb)
  let best: TLDefaultColorStyle = 'black'
  let bestDistance = Number.POSITIVE_INFINITY
  for (const [name, candidate] of PALETTE_HSL.get(entry) ?? []) {
    const d = colorDistance(hsl, candidate)
    if (d < bestDistance) {
      best = name
      bestDistance = d
    }
  }
  return best
}

/** True when two colours are the same hex value. */
export function sameHex(a: string | undefined, b: string): boolean {
  const x = parseHex(a)
  const y = parseHex(b)
  return x !== null && y !== null && distance(x, y) === 0
}

/** The tldraw size whose value in `table` is nearest to `value`. */
export function nearestSize(
  value: number,
  table: Readonly<Record<TLDefaultSizeStyle, number>>,
): TLDefaultSizeStyle {
  let best: TLDefaultSizeStyle = 'm'
  for (const size of SIZE_NAMES) {
    if (Math.abs(table[size] - value) < Math.abs(table[best] - value)) best = size
  }
  return best
}
