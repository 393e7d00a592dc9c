/**
 * Mermaid label text → plain text: quotes, markdown strings (`` "`…`" ``, bold/italic markers,
 * their line breaks), `<br>`, other tags and Mermaid's `#…;` entity codes.
 * Owns: label cleaning. Must not touch: parsing of statements, records.
 */
import { clampLabel } from '../textParse'

/** The named entities people write in Mermaid labels (numeric codes are decoded generally). */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  apos: "'",
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  hearts: '♥',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  middot: '·',
  bull: '•',
  laquo: '«',
  raquo: '»',
  infin: '∞',
  ne: '≠',
  le: '≤',
  ge: '≥',
  check: '✓',
}

/** `#quot;`, `#9829;`, `#x2665;` (Mermaid's spelling of HTML entities). */
export function decodeEntities(text: string): string {
  return text.replace(/#(x[0-9a-f]{1,6}|\d{1,7}|[a-z][a-z0-9]{1,9});/gi, (match, code: string) => {
    if (/^x/i.test(code) || /^\d/.test(code)) {
      const point = /^x/i.test(code) ? Number.parseInt(code.slice(1), 16) : Number(code)
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : match
    }
    return NAMED_ENTITIES[code.toLowerCase()] ?? match
  })
}

/** Markdown string body: bold/italic markers dropped, each line's indentation trimmed. */
function fromMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_m, a?: string, b?: string) => a ?? b ?? '')
    .replace(/(^|[^\p{L}\p{N}])[*_](\S(?:.*?\S)?)[*_](?=$|[^\p{L}\p{N}])/gu, '$1$2')
}

/** Mermaid label text → plain text. */
export function cleanMermaidLabel(raw: string): string {
  let text = raw.trim()
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1)
  if (text.length >= 2 && text.startsWith('`') && text.endsWith('`')) text = fromMarkdown(text.slice(1, -1))
  text = text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\n[ \t]+/g, '\n')
  return clampLabel(decodeEntities(text).trim())
}
