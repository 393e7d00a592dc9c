/**
 * Plain-text diagrams that are not Mermaid: arrow chains (`A -> B -> C`, one chain per line),
 * numbered step lists (`1. Do x`) and CSV edge lists (`from,to[,label]`). Nodes are named by their
 * text. Owns: these three grammars. Must not touch: records, layout, I/O.
 */
import type { DiagramEdge, DiagramSpec } from './spec'
import { clampLabel, failure, NamedNodes, overLimits, shapeForStep, type TextParse } from './textParse'

/**
 * One arrow between names: labelled (` -yes-> `, ` -- yes --> `, needs spaces around), both ways
 * (`<->`, `↔`) or plain (`->`, `-->`, `=>`, `→`, `⟶`, `⇒`).
 */
const ARROW =
  /\s+-{1,2}\s*([^\s<>-][^<>]*?)\s*-{1,2}>(?=\s)|\s*(<-{1,2}>|<=>|↔|⟷)\s*|\s*(-{1,2}>|=>|→|⟶|⇒|➔|➜)\s*/gu
const HAS_ARROW = /->|=>|→|⟶|⇒|➔|➜|↔|⟷/u

function withResult(
  nodes: NamedNodes,
  edges: DiagramEdge[],
  extra: Partial<DiagramSpec>,
  line: number,
): TextParse {
  const spec: DiagramSpec = { ...extra, nodes: nodes.nodes, edges }
  const limit = overLimits(spec)
  return limit ? failure(line, limit) : { ok: true, spec, warnings: [] }
}

/** True when the line holds at least one arrow token. */
export function hasArrow(line: string): boolean {
  return HAS_ARROW.test(line)
}

/**
 * `A -> B -> C`, one chain per line; the same name on several lines is the same node. A first line
 * ending in `:` without arrows is the title; lines starting with `#` or `//` are comments.
 */
export function parseArrowList(text: string): TextParse {
  const lines = text.split(/\r?\n/)
  const nodes = new NamedNodes()
  const edges: DiagramEdge[] = []
  let title: string | undefined
  let chains = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue
    if (!hasArrow(line)) {
      if (chains === 0 && title === undefined && line.endsWith(':')) {
        title = clampLabel(line.slice(0, -1).trim())
        continue
      }
      return failure(i + 1, 'expected a chain such as "A -> B -> C"')
    }
    const names: string[] = []
    const links: Array<{ label?: string; both: boolean }> = []
    let last = 0
    for (const match of line.matchAll(ARROW)) {
      names.push(line.slice(last, match.index))
      links.push({
        ...(match[1] ? { label: clampLabel(match[1].trim()) } : {}),
        both: match[2] !== undefined,
      })
      last = match.index + match[0].length
    }
    names.push(line.slice(last))
    const cleaned = names.map((name) => name.trim().replace(/^["'`]|["'`]$/g, ''))
    if (cleaned.some((name) => name === '')) return failure(i + 1, 'an arrow is missing a name on one side')
    const ids = cleaned.map((name) => nodes.idFor(name, shapeForStep(name)))
    links.forEach((link, k) => {
      const edge: DiagramEdge = { from: ids[k]!, to: ids[k + 1]! }
      if (link.label) edge.label = link.label
      if (link.both) edge.bidirectional = true
      if (edge.from !== edge.to) edges.push(edge)
    })
    chains++
  }
  if (chains === 0) return failure(1, 'no arrows found: write chains such as "A -> B -> C"')
  return withResult(nodes, edges, { direction: 'right', ...(title ? { title } : {}) }, lines.length)
}

const STEP = /^\s*(?:step\s+)?(\d{1,4})\s*[.):-]\s+(\S.*)$/i
const CONTINUATION = /^(\s+\S|\s*[-*•]\s+\S)/
/** Lines of text allowed before the list (an instruction such as "turn this into a flowchart:"). */
const MAX_PREAMBLE = 3

/**
 * A numbered list (`1. …`, `2) …`, `Step 3: …`) as a chain of steps in the order written. Indented
 * or bulleted lines under a step continue it; a step ending in `?` is a decision (diamond).
 */
export function parseNumberedSteps(text: string): TextParse {
  const lines = text.split(/\r?\n/)
  const steps: string[] = []
  let preamble = 0
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    if (raw.trim() === '') continue
    const step = raw.match(STEP)
    if (step) {
      steps.push(step[2]!.trim())
      continue
    }
    if (steps.length === 0) {
      if (++preamble > MAX_PREAMBLE) return failure(i + 1, 'expected a numbered step such as "1. Do this"')
      continue
    }
    if (CONTINUATION.test(raw)) {
      steps[steps.length - 1] += `\n${raw.trim().replace(/^[-*•]\s+/, '')}`
      continue
    }
    return failure(i + 1, 'expected a numbered step (or an indented line continuing one)')
  }
  if (steps.length < 2) return failure(lines.length, 'a step list needs at least two numbered steps')
  const nodes = new NamedNodes()
  // Steps are distinct even when their words repeat: each gets its own node.
  const ids = steps.map((label, k) => nodes.idFor(`${label}\u0000${k}`, shapeForStep(label)))
  nodes.nodes.forEach((node, k) => {
    node.label = clampLabel(steps[k]!)
  })
  const edges = ids.slice(1).map((to, k) => ({ from: ids[k]!, to }))
  return withResult(nodes, edges, { direction: 'down' }, lines.length)
}

/** One CSV row: commas (or tabs), double quotes with `""` escapes. */
export function splitCsvRow(line: string, delimiter = ','): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field.trim() === '') {
      quoted = true
      field = ''
    } else if (c === delimiter) {
      fields.push(field.trim())
      field = ''
    } else field += c
  }
  fields.push(field.trim())
  return fields
}

const FROM_HEADER = /^(from|source|src|start|parent)$/i
const TO_HEADER = /^(to|target|dst|dest|destination|end|child)$/i

function delimiterOf(text: string): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? ''
  return first.includes('\t') && !first.includes(',') ? '\t' : ','
}

/** True when the first row names from/to columns (`from,to,label`, `source,target`…). */
export function hasCsvHeader(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '')
  if (!first) return false
  const [a, b] = splitCsvRow(first, delimiterOf(text))
  return FROM_HEADER.test(a ?? '') && TO_HEADER.test(b ?? '')
}

/** `from,to[,label]` rows (optional header row, `#` comments); names are nodes. */
export function parseCsvEdges(text: string): TextParse {
  const lines = text.split(/\r?\n/)
  const delimiter = delimiterOf(text)
  const header = hasCsvHeader(text)
  const nodes = new NamedNodes()
  const edges: DiagramEdge[] = []
  let headerSkipped = !header
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '' || line.startsWith('#')) continue
    if (!headerSkipped) {
      headerSkipped = true
      continue
    }
    const [from, to, label] = splitCsvRow(line, delimiter)
    if (!from || !to) return failure(i + 1, 'expected "from,to" or "from,to,label"')
    const edge: DiagramEdge = { from: nodes.idFor(from), to: nodes.idFor(to) }
    if (label) edge.label = clampLabel(label)
    if (edge.from !== edge.to) edges.push(edge)
  }
  if (edges.length === 0)
    return failure(lines.length, 'no edges found: write rows such as "API,Database,reads"')
  return withResult(nodes, edges, { direction: 'right' }, lines.length)
}
