/**
 * Mermaid styling (`style`, `classDef`, `class`, `:::`, `linkStyle`) → tldraw style: a `fill` or
 * `stroke` colour becomes the nearest tldraw colour (tldraw has no free colours), a fill makes the
 * shape filled; dashes map to a dashed outline. Everything else (widths, fonts, radii) has no
 * tldraw equivalent and is reported, not applied.
 * Owns: CSS colour → tldraw colour. Must not touch: statement parsing, records.
 */
import { COLOR_NAMES, PALETTE, parseHex, type Rgb, toHsl } from '../../drawio/palette'
import type { DiagramColor, DiagramDash, DiagramFill } from '../spec'

export interface MermaidStyle {
  color?: DiagramColor
  fill?: DiagramFill
  dash?: DiagramDash
  /** Properties that were not applied (for the warning). */
  skipped: string[]
}

/** tldraw's light-theme colours (solid) in HSL, for the nearest match. */
const PALETTE_HSL = COLOR_NAMES.map(
  (name) => [name, toHsl(parseHex(PALETTE[name].solid) ?? [0, 0, 0])] as const,
)

/** `#rgb`, `#rrggbb` (alpha ignored), `rgb(…)`/`rgba(…)` or a CSS colour name, as RGB; else null. */
function rgbOf(css: string): Rgb | null {
  const value = css.trim()
  const rgb = value.match(/^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i)
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])]
  // Mermaid accepts #rrggbbaa; the alpha has no tldraw equivalent.
  return parseHex(/^#[0-9a-f]{8}$/i.test(value) ? value.slice(0, 7) : value)
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
  for (const [name, entry] of PALETTE_HSL) {
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
