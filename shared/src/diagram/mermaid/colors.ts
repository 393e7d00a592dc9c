/**
 * Mermaid styling (`style`, `classDef`, `class`, `:::`, `linkStyle`) → tldraw style: a `fill` or
 * `stroke` colour becomes the nearest tldraw colour (tldraw has no free colours), a fill makes the
 * shape filled; dashes map to a dashed outline. Everything else (widths, fonts, radii) has no
 * tldraw equivalent and is reported, not applied.
 * Owns: CSS colour → tldraw colour. Must not touch: statement parsing, records.
 */
import { toHsl } from '../../drawio/palette'
import type { DiagramColor, DiagramDash, DiagramFill } from '../spec'

export interface MermaidStyle {
  color?: DiagramColor
  fill?: DiagramFill
  dash?: DiagramDash
  /** Properties that were not applied (for the warning). */
  skipped: string[]
}

/** tldraw's light-theme colours (solid), for the nearest match. */
const PALETTE: ReadonlyArray<readonly [DiagramColor, number, number, number]> = [
  ['black', 0x1d, 0x1d, 0x1d],
  ['grey', 0x9f, 0xa8, 0xb2],
  ['light-violet', 0xe0, 0x85, 0xf4],
  ['violet', 0xae, 0x3e, 0xc9],
  ['blue', 0x44, 0x65, 0xe9],
  ['light-blue', 0x4b, 0xa1, 0xf1],
  ['yellow', 0xf1, 0xac, 0x4b],
  ['orange', 0xe1, 0x69, 0x19],
  ['green', 0x09, 0x92, 0x68],
  ['light-green', 0x4c, 0xb0, 0x5e],
  ['light-red', 0xf8, 0x77, 0x77],
  ['red', 0xe0, 0x31, 0x31],
  ['white', 0xff, 0xff, 0xff],
]

const NAMED: Readonly<Record<string, string>> = {
  black: '#000000',
  white: '#ffffff',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  yellow: '#ffff00',
  orange: '#ffa500',
  purple: '#800080',
  violet: '#ee82ee',
  pink: '#ffc0cb',
  grey: '#808080',
  gray: '#808080',
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

function rgbOf(css: string): [number, number, number] | null {
  const value = (NAMED[css.trim().toLowerCase()] ?? css).trim()
  const hex = value.match(/^#([0-9a-f]{3}|[0-9a-f]{6})(?:[0-9a-f]{2})?$/i)
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d).join('') : hex[1]!
    return [0, 2, 4].map((at) => Number.parseInt(digits.slice(at, at + 2), 16)) as [number, number, number]
  }
  const rgb = value.match(/^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i)
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null
}

/** Below this saturation a colour reads as grey, black or white. */
const GREY_SATURATION = 0.18

/**
 * The tldraw colour nearest to a CSS colour (`#f9f`, `#336699`, `rgb(…)`, a common name), or null.
 * Hue decides first (Mermaid fills are mostly pastel tints of a hue tldraw has), then lightness.
 */
export function nearestColor(css: string): DiagramColor | null {
  const rgb = rgbOf(css)
  if (!rgb) return null
  const colour = toHsl(rgb)
  if (colour.s < GREY_SATURATION || colour.l > 0.97 || colour.l < 0.08) {
    return colour.l > 0.85 ? 'white' : colour.l < 0.35 ? 'black' : 'grey'
  }
  let best: DiagramColor = 'black'
  let bestDistance = Number.POSITIVE_INFINITY
  for (const [name, r, g, b] of PALETTE) {
    const entry = toHsl([r, g, b])
    if (entry.s < GREY_SATURATION) continue
    const hueGap = Math.min(Math.abs(colour.h - entry.h), 360 - Math.abs(colour.h - entry.h)) / 180
    const d = 4 * hueGap + Math.abs(colour.l - entry.l)
    if (d < bestDistance) {
      bestDistance = d
      best = name
    }
  }
  return best
}

/** A Mermaid style list (`fill:#f9f,stroke:#333,stroke-width:4px`) as tldraw style. */
export function readStyle(list: string): MermaidStyle {
  const out: MermaidStyle = { skipped: [] }
  let stroke: DiagramColor | null = null
  let fill: DiagramColor | null = null
  for (const part of list.split(/[,;](?![^(]*\))/)) {
    const [rawKey, ...rest] = part.split(':')
    const key = rawKey?.trim().toLowerCase()
    const value = rest.join(':').trim()
    if (!key || value === '') continue
    if (key === 'fill' || key === 'background' || key === 'background-color') fill = nearestColor(value)
    else if (key === 'stroke') stroke = nearestColor(value)
    else if (key === 'stroke-dasharray') out.dash = 'dashed'
    else if (!out.skipped.includes(key)) out.skipped.push(key)
  }
  // tldraw draws a filled shape in a light tint of its one colour: the fill's hue reads best,
  // unless the fill is white (then the outline's colour carries the meaning).
  if (fill && fill !== 'white') {
    out.color = fill
    out.fill = 'solid'
  } else if (stroke) out.color = stroke
  return out
}
