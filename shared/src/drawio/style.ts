/**
 * draw.io style strings (`key=value;key2=value2;bareName;`) and XML text escaping. Owns: parsing
 * and writing those two formats. Must not touch: records, geometry.
 */

export type Style = Map<string, string>

/** The key a bare leading token (`ellipse;`, `text;`, `swimlane;`) is stored under. */
export const BARE_NAME = '_name'

/** Parses a style string; a token without `=` becomes {@link BARE_NAME} (the first) or `key=1`. */
export function parseStyle(style: string | null | undefined): Style {
  const map: Style = new Map()
  if (!style) return map
  for (const token of style.split(';')) {
    const part = token.trim()
    if (!part) continue
    const eq = part.indexOf('=')
    if (eq < 0) {
      if (!map.has(BARE_NAME)) map.set(BARE_NAME, part)
      else map.set(part, '1')
    } else {
      map.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
    }
  }
  return map
}

export type StyleValue = string | number | undefined

/** Writes a style string; undefined values are left out, `;` inside values is percent-encoded. */
export function writeStyle(entries: ReadonlyArray<readonly [string, StyleValue]>): string {
  let out = ''
  for (const [key, value] of entries) {
    if (value === undefined) continue
    const text = typeof value === 'number' ? formatNumber(value) : value.replaceAll(';', '%3B')
    out += key === BARE_NAME ? `${text};` : `${key}=${text};`
  }
  return out
}

const NUMBER_DECIMALS = 100

/** Numbers as draw.io writes them: at most two decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * NUMBER_DECIMALS) / NUMBER_DECIMALS
  return String(Object.is(rounded, -0) ? 0 : rounded)
}

/** Reads a numeric style value; `fallback` when missing or not a finite number. */
export function styleNumber(style: Style, key: string, fallback: number): number {
  const raw = style.get(key)
  if (raw === undefined) return fallback
  const value = Number(raw)
  return Number.isFinite(value) ? value : fallback
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#xa;',
  '\r': '&#xd;',
  '\t': '&#x9;',
}

// Characters XML 1.0 forbids outright (C0 controls other than tab, LF, CR).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
const FORBIDDEN_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

/** Escapes text for an XML attribute value or text node (newlines kept as character references). */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN_XML_CHARS, '').replace(/[&<>"'\n\r\t]/g, (c) => XML_ESCAPES[c] ?? c)
}

/** Escapes text for HTML content (the label markup before it is XML-escaped again). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c)
}
