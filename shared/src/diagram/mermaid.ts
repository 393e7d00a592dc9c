/**
 * Mermaid flowcharts (`graph` / `flowchart`) → diagram spec, without Mermaid: node shapes, links
 * with their labels, heads and line styles, chains and `&`, subgraphs (nested) as groups. Styling
 * statements (`classDef`, `class`, `style`, `linkStyle`, `click`) are read and ignored.
 * Owns: the flowchart grammar subset. Must not touch: records, layout, I/O.
 */
import type { DiagramDash, DiagramDirection, DiagramEdge, DiagramGroup, DiagramSpec, NodeShape } from './spec'
import { DIAGRAM_LIMITS } from './spec'
import { clampLabel, failure, overLimits, type TextParse } from './textParse'

const HEADER = /^(graph|flowchart)\b(?:[ \t]+(TD|TB|BT|RL|LR)\b)?[ \t]*;?(.*)$/i
const DIRECTIONS: Readonly<Record<string, DiagramDirection>> = {
  TD: 'down',
  TB: 'down',
  BT: 'up',
  LR: 'right',
  RL: 'left',
}
const IGNORED = /^(classDef|class|style|linkStyle|click|accTitle|accDescr|direction)\b/
const ID = /[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[-.](?=[\p{L}\p{N}_]))*/uy
const CLASS_SUFFIX = /:::[\w-]+/y
/** Openers, longest first, with their closer and shape. `[/` and `[\` are resolved by their closer. */
const SHAPES: ReadonlyArray<readonly [open: string, close: string, shape: NodeShape]> = [
  ['(((', ')))', 'ellipse'],
  ['((', '))', 'ellipse'],
  ['([', '])', 'oval'],
  ['[[', ']]', 'rectangle'],
  ['[(', ')]', 'rectangle'],
  ['{{', '}}', 'hexagon'],
  ['[/', '', 'parallelogram'],
  ['[\\', '', 'parallelogram'],
  ['[', ']', 'rectangle'],
  ['(', ')', 'oval'],
  ['{', '}', 'diamond'],
  ['>', ']', 'rectangle'],
]
const HEAD_END = /([>]|[ox](?![\p{L}\p{N}_]))?/uy
const LINK = /([<ox])?(-{2,}|={2,}|-\.+-|~{3,})/y
const DOTTED_TEXT_OPEN = /([<ox])?-\.(?![.-])/y
const PIPE_LABEL = /\s*\|\s*(?:"([^"]*)"|([^|]*))\s*\|/y

interface NodeInfo {
  label: string
  shape?: NodeShape
  group?: string
  explicit: boolean
}

interface Link {
  dash?: DiagramDash
  start: boolean
  end: boolean
  label?: string
  invisible: boolean
}

class StatementError extends Error {}

/** Mermaid label text → plain text: quotes, markdown backticks, `<br>`, tags and `#…;` entities. */
export function cleanMermaidLabel(raw: string): string {
  let text = raw.trim()
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1)
  if (text.length >= 2 && text.startsWith('`') && text.endsWith('`')) text = text.slice(1, -1)
  text = text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/#quot;/g, '"')
    .replace(/#amp;/g, '&')
    .replace(/#lt;/g, '<')
    .replace(/#gt;/g, '>')
    .replace(/#(\d{1,6});/g, (match, code: string) => {
      const point = Number(code)
      return point <= 0x10ffff ? String.fromCodePoint(point) : match
    })
  return clampLabel(text.trim())
}

/** Splits a line into statements at `;` outside quotes and brackets. */
function statements(line: string): string[] {
  const out: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (quoted) continue
    else if (c === '[' || c === '(' || c === '{') depth++
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--
    else if (c === ';' && depth === 0) {
      out.push(line.slice(start, i))
      start = i + 1
    }
  }
  out.push(line.slice(start))
  return out.map((s) => s.trim()).filter((s) => s.length > 0)
}

/** Reads one statement: node groups joined by links. */
class StatementReader {
  pos = 0
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++
  }

  private sticky(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos
    const match = pattern.exec(this.text)
    if (match) this.pos = pattern.lastIndex
    return match
  }

  get done(): boolean {
    this.skipSpace()
    return this.pos >= this.text.length
  }

  fail(message: string): never {
    throw new StatementError(`${message} at column ${this.pos + 1}`)
  }

  /** The text up to `close` (quote-aware), moving past the closer. */
  private until(close: string): string {
    const rest = this.text.slice(this.pos)
    const lead = rest.match(/^\s*"/)
    if (lead) {
      const endQuote = rest.indexOf('"', lead[0].length)
      if (endQuote >= 0) {
        const after = rest.slice(endQuote + 1).match(/^\s*/)![0].length + endQuote + 1
        if (rest.startsWith(close, after)) {
          this.pos += after + close.length
          return rest.slice(0, endQuote + 1)
        }
      }
    }
    const at = rest.indexOf(close)
    if (at < 0) this.fail(`missing "${close}"`)
    this.pos += at + close.length
    return rest.slice(0, at)
  }

  /** `[/…/]`, `[\…\]` (parallelograms) and `[/…\]`, `[\…/]` (trapezoids). */
  private slanted(open: string): { label: string; shape: NodeShape } {
    const rest = this.text.slice(this.pos)
    const match = rest.match(/[/\\]\]/)
    if (!match || match.index === undefined) this.fail('missing "/]" or "\\]"')
    this.pos += match.index + 2
    const same = match[0][0] === open[1]
    return { label: rest.slice(0, match.index), shape: same ? 'parallelogram' : 'trapezoid' }
  }

  /** One node reference with its optional shape, or null when no id starts here. */
  node(): { id: string; label?: string; shape?: NodeShape } | null {
    this.skipSpace()
    const id = this.sticky(ID)
    if (!id) return null
    if (id[0].length > DIAGRAM_LIMITS.idChars)
      this.fail(`node id longer than ${DIAGRAM_LIMITS.idChars} characters`)
    let result: { id: string; label?: string; shape?: NodeShape } = { id: id[0] }
    for (const [open, close, shape] of SHAPES) {
      if (!this.text.startsWith(open, this.pos)) continue
      this.pos += open.length
      if (close === '') {
        const slanted = this.slanted(open)
        result = { id: id[0], label: cleanMermaidLabel(slanted.label), shape: slanted.shape }
      } else {
        result = { id: id[0], label: cleanMermaidLabel(this.until(close)), shape }
      }
      break
    }
    this.sticky(CLASS_SUFFIX)
    return result
  }

  /** `A & B & C`. */
  nodeGroup(): Array<{ id: string; label?: string; shape?: NodeShape }> {
    const first = this.node()
    if (!first) this.fail('expected a node id')
    const group = [first]
    for (;;) {
      this.skipSpace()
      if (this.text[this.pos] !== '&') return group
      this.pos++
      const next = this.node()
      if (!next) this.fail('expected a node id after "&"')
      group.push(next)
    }
  }

  /** A link (`-->`, `---`, `-.->`, `==>`, `<-->`, `--o`, `~~~`, `-- text -->`, `-->|text|`…), or null. */
  link(): Link | null {
    this.skipSpace()
    const start = this.pos
    let startHead: string | undefined
    let body: string
    let label: string | undefined
    let endHead: string | undefined
    const dotted = this.sticky(DOTTED_TEXT_OPEN)
    if (dotted) {
      startHead = dotted[1]
      const close = this.text.slice(this.pos).match(/\.+-([>ox])?/)
      if (!close || close.index === undefined) this.fail('missing the end of a "-. text .->" link')
      label = this.text.slice(this.pos, this.pos + close.index)
      this.pos += close.index + close[0].length
      body = '-.-'
      endHead = close[1]
    } else {
      const link = this.sticky(LINK)
      if (!link) return null
      startHead = link[1]
      body = link[2]!
      endHead = this.sticky(HEAD_END)?.[1]
      if ((body === '--' || body === '==') && !endHead) {
        // `-- text -->`: the text runs to a closing link of the same kind.
        const closer = body === '--' ? /(-{2,})([>ox])?/g : /(={2,})(>)?/g
        closer.lastIndex = this.pos
        let close: RegExpExecArray | null
        for (;;) {
          close = closer.exec(this.text)
          if (!close || close[2] || close[1]!.length >= 3) break
        }
        if (!close) {
          this.pos = start
          this.fail(`"${body}" needs a closing "${body}>"`)
        }
        label = this.text.slice(this.pos, close.index)
        this.pos = close.index + close[0].length
        endHead = close[2]
      }
    }
    const pipe = this.sticky(PIPE_LABEL)
    if (pipe) label = pipe[1] ?? pipe[2]
    const cleaned = label === undefined ? '' : cleanMermaidLabel(label)
    return {
      dash: body.includes('.') ? 'dotted' : undefined,
      start: startHead !== undefined,
      end: endHead !== undefined,
      invisible: body.startsWith('~'),
      ...(cleaned ? { label: cleaned } : {}),
    }
  }
}

function subgraphHeader(rest: string, line: number, seen: Set<string>): DiagramGroup {
  const text = rest.trim()
  const bracket = text.match(/^([\p{L}\p{N}_][\p{L}\p{N}_.-]*)\s*\[(.*)\]$/u)
  let id: string
  let label: string
  if (bracket) {
    id = bracket[1]!
    label = cleanMermaidLabel(bracket[2]!)
  } else if (/^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u.test(text)) {
    id = text
    label = text
  } else {
    label = cleanMermaidLabel(text)
    id = label || `subgraph-${line}`
  }
  id = id.slice(0, DIAGRAM_LIMITS.idChars)
  const base = id
  for (let n = 2; seen.has(id); n++) id = `${base}-${n}`
  return { id, label }
}

/** Front matter (`---` … `---`) at the top: its `title:` and the line after it. */
function frontMatter(lines: string[]): { title?: string; next: number } {
  let first = 0
  while (first < lines.length && lines[first]!.trim() === '') first++
  if (lines[first]?.trim() !== '---') return { next: 0 }
  for (let i = first + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '---') {
      const titleLine = lines.slice(first + 1, i).find((l) => /^\s*title\s*:/.test(l))
      const title = titleLine?.replace(/^\s*title\s*:\s*/, '').replace(/^["']|["']$/g, '')
      return {
        ...(title ? { title: clampLabel(title).slice(0, DIAGRAM_LIMITS.titleChars) } : {}),
        next: i + 1,
      }
    }
  }
  return { next: 0 }
}

/** True when `text` starts (after front matter and comments) with a flowchart header. */
export function looksLikeMermaidFlowchart(text: string): boolean {
  const lines = text.split(/\r?\n/)
  for (const line of lines.slice(frontMatter(lines).next)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('%%')) continue
    return HEADER.test(trimmed)
  }
  return false
}

/** Parses a Mermaid flowchart. Errors name the 1-based line (of `text`) and the column. */
export function parseMermaidFlowchart(text: string): TextParse {
  const lines = text.split(/\r?\n/)
  const warnings: string[] = []
  const front = frontMatter(lines)
  const nodes = new Map<string, NodeInfo>()
  const edges: DiagramEdge[] = []
  const groups: DiagramGroup[] = []
  const groupIds = new Set<string>()
  const stack: DiagramGroup[] = []
  let direction: DiagramDirection | undefined
  let headerSeen = false

  const touch = (ref: { id: string; label?: string; shape?: NodeShape }): string => {
    let info = nodes.get(ref.id)
    if (!info) {
      info = { label: ref.id, explicit: false }
      nodes.set(ref.id, info)
    }
    if (ref.label !== undefined) {
      info.label = ref.label
      info.shape = ref.shape
      info.explicit = true
    }
    const top = stack.at(-1)
    if (top && info.group === undefined) info.group = top.id
    return ref.id
  }

  const statement = (source: string): void => {
    const reader: StatementReader = new StatementReader(source)
    let left = reader.nodeGroup().map(touch)
    while (!reader.done) {
      const link = reader.link()
      if (!link) reader.fail('expected a link such as "-->"')
      const right = reader.nodeGroup().map(touch)
      if (!link.invisible) {
        for (const from of left) {
          for (const to of right) {
            const reversed = link.start && !link.end
            const edge: DiagramEdge = reversed ? { from: to, to: from } : { from, to }
            if (link.label) edge.label = link.label
            if (link.dash) edge.dash = link.dash
            if (link.start && link.end) edge.bidirectional = true
            if (!link.start && !link.end) edge.undirected = true
            edges.push(edge)
          }
        }
      }
      left = right
    }
  }

  for (let i = front.next; i < lines.length; i++) {
    const lineNo = i + 1
    const trimmed = lines[i]!.trim()
    if (trimmed === '' || trimmed.startsWith('%%')) continue
    let body = trimmed
    if (!headerSeen) {
      const header = trimmed.match(HEADER)
      if (!header)
        return failure(lineNo, 'expected "graph TD", "flowchart LR" or similar to start a flowchart')
      headerSeen = true
      direction = DIRECTIONS[(header[2] ?? 'TD').toUpperCase()]
      body = header[3]!.trim()
      if (body.startsWith(';')) body = body.slice(1)
    }
    for (const part of statements(body)) {
      if (IGNORED.test(part)) continue
      const subgraph = part.match(/^subgraph\b(.*)$/)
      if (subgraph) {
        const group = subgraphHeader(subgraph[1]!, lineNo, groupIds)
        const parent = stack.at(-1)
        if (parent) group.parent = parent.id
        groups.push(group)
        groupIds.add(group.id)
        stack.push(group)
        continue
      }
      if (part === 'end') {
        if (!stack.pop()) return failure(lineNo, '"end" without an open subgraph')
        continue
      }
      try {
        statement(part)
      } catch (error) {
        if (error instanceof StatementError) return failure(lineNo, error.message)
        throw error
      }
    }
  }
  if (!headerSeen)
    return failure(1, 'the text is empty: a flowchart starts with "graph TD" or "flowchart LR"')
  if (stack.length > 0) warnings.push(`subgraph "${stack.at(-1)!.id}" is not closed with "end"`)

  // An edge to a subgraph's id names the subgraph, which has no node to bind to: dropped.
  const kept = edges.filter((edge) => {
    const toGroup = [edge.from, edge.to].find((id) => groupIds.has(id) && !nodes.get(id)?.explicit)
    if (toGroup) warnings.push(`the link ${edge.from} → ${edge.to} ends at subgraph "${toGroup}"; left out`)
    return !toGroup
  })
  for (const id of groupIds) if (nodes.has(id) && !nodes.get(id)!.explicit) nodes.delete(id)

  const spec: DiagramSpec = {
    ...(front.title ? { title: front.title } : {}),
    ...(direction ? { direction } : {}),
    nodes: [...nodes].map(([id, info]) => ({
      id,
      label: info.label,
      ...(info.shape ? { shape: info.shape } : {}),
      ...(info.group ? { group: info.group } : {}),
    })),
    edges: kept.filter((edge) => edge.from !== edge.to),
    ...(groups.length > 0 ? { groups } : {}),
  }
  if (spec.edges.length < kept.length) warnings.push('links from a node to itself were left out')
  const limit = overLimits(spec)
  return limit ? failure(lines.length, limit) : { ok: true, spec, warnings }
}
