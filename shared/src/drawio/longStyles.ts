/**
 * Styles over the style limit (after embedded images left them): real files hold inline stencils
 * (`shape=stencil(<base64 of a whole shape definition>)`, 10–25 KB) and similar payloads the import
 * cannot draw anyway. Such a style keeps its short keys (each key's last value, as draw.io reads
 * it) and loses the long values, so the cell imports and says what it lost; one cell never refuses
 * a whole file. Must not touch: records, XML, the limits themselves.
 */
import { BARE_NAME } from './style'

/** No style value the import reads is this long; longer ones are payloads (stencils, fonts…). */
const MAX_KEPT_VALUE_CHARS = 1_000

export interface ShortenedStyle {
  style: string
  /** Why the style was shortened, for the import reply. */
  reason: string
}

/**
 * `style` unchanged when within `maxChars`, else without its long values and repeated keys
 * (and, if that is still too long, without any key past the limit).
 */
export function shortenStyle(style: string, maxChars: number): ShortenedStyle | null {
  if (style.length <= maxChars) return null
  const kept = new Map<string, string>()
  const dropped = new Set<string>()
  for (const token of style.split(';')) {
    const part = token.trim()
    if (!part) continue
    const eq = part.indexOf('=')
    const key = eq < 0 ? (kept.has(BARE_NAME) ? part : BARE_NAME) : part.slice(0, eq).trim()
    if (part.length > MAX_KEPT_VALUE_CHARS) {
      dropped.add(key === BARE_NAME ? part.slice(0, 32) : key)
      kept.delete(key)
      continue
    }
    // draw.io reads a repeated key's last value: keep that one, in the place it was last written.
    kept.delete(key)
    kept.set(key, part)
  }
  let out = ''
  for (const part of kept.values()) {
    if (out.length + part.length + 1 > maxChars) {
      dropped.add(part.slice(0, 32))
      continue
    }
    out += `${part};`
  }
  const names = [...dropped].slice(0, 5).join(', ')
  return {
    style: out,
    reason: `Style of ${style.length.toLocaleString('en')} characters (over the ${maxChars.toLocaleString('en')} limit) shortened: left out ${names || 'repeated keys'}`,
  }
}
