/**
 * What every Mermaid diagram shares before its own grammar: YAML front matter (`title:`, `config:`),
 * `%%{init: …}%%` directives, `%%` comment lines, and the accessibility statements `accTitle:`,
 * `accDescr:` and `accDescr { … }`. They are taken out, keeping line numbers, so each diagram's
 * reader sees only its statements. Owns: that preamble. Must not touch: diagram grammars, records.
 */
import { DIAGRAM_LIMITS } from '../spec'
import { clampLabel } from '../textParse'

export interface MermaidSource {
  /** The diagram's lines with front matter, directives, comments and acc* statements blanked. */
  lines: string[]
  title?: string
  accTitle?: string
  accDescr?: string
}

/** Front matter (`---` … `---`) at the top: its `title:` and the first line after it. */
function frontMatter(lines: string[]): { title?: string; next: number } {
  let first = 0
  while (first < lines.length && lines[first]!.trim() === '') first++
  if (lines[first]?.trim() !== '---') return { next: 0 }
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '---') {
      const titleLine = lines.slice(first + 1, i).find((l) => /^title\s*:/.test(l))
      const title = titleLine
        ?.replace(/^title\s*:\s*/, '')
        .trim()
        .replace(/^(["'])(.*)\1$/, '$2')
      return {
        ...(title ? { title: clampLabel(title).slice(0, DIAGRAM_LIMITS.titleChars) } : {}),
        next: i + 1,
      }
    }
  }
  return { next: 0 }
}

/** Splits `text` into the diagram's lines, blanking everything that is not a statement. */
export function readPreamble(text: string): MermaidSource {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const front = frontMatter(lines)
  const out: MermaidSource = { lines: lines.map((line, i) => (i < front.next ? '' : line)) }
  if (front.title) out.title = front.title
  const blank = (from: number, to: number) => {
    for (let i = from; i <= to; i++) out.lines[i] = ''
  }
  for (let i = front.next; i < lines.length; i++) {
    const line = lines[i]!
    const trimmed = line.trim()
    if (trimmed.startsWith('%%{')) {
      // A directive may span lines: up to its `}%%`.
      let end = i
      while (end < lines.length - 1 && !lines[end]!.includes('}%%')) end++
      blank(i, end)
      i = end
      continue
    }
    if (trimmed.startsWith('%%')) {
      blank(i, i)
      continue
    }
    const acc = trimmed.match(/^(accTitle|accDescr)\s*:\s*(.*)$/)
    if (acc) {
      if (acc[1] === 'accTitle') out.accTitle = acc[2]!.trim()
      else out.accDescr = acc[2]!.trim()
      blank(i, i)
      continue
    }
    const block = trimmed.match(/^accDescr\s*\{(.*)$/)
    if (block) {
      let end = i
      const parts = [block[1]!]
      while (!parts.at(-1)!.includes('}') && end < lines.length - 1) parts.push(lines[++end]!)
      out.accDescr = parts.join('\n').replace(/\}.*$/s, '').trim()
      blank(i, end)
      i = end
    }
  }
  return out
}

/** The first statement line (0-based index), or -1 when there is none. */
export function firstStatement(source: MermaidSource): number {
  return source.lines.findIndex((line) => line.trim() !== '')
}
