/**
 * Mermaid entity-relationship diagrams (`erDiagram`) → diagram spec: each entity a box labelled
 * with its name (or alias label) and its attributes (`type name PK, FK "comment"`), each
 * relationship an undirected link labelled with its name and both cardinalities (`1`, `0..1`,
 * `1..*`, `0..*`), dashed when non-identifying. Owns: the ER grammar. Must not touch: records, layout.
 */
import { DIAGRAM_LIMITS, type DiagramDirection, type DiagramEdge, type DiagramSpec } from '../spec'
import { clampLabel, failure, overLimits, type TextParse } from '../textParse'
import { diagramBody, isBody, STYLING, unquote } from './diagramBody'
import { DIRECTIONS } from './header'
import { cleanMermaidLabel } from './labels'

const HEADER = /^erDiagram\b\s*(.*)$/
const NAME = String.raw`(?:"[^"]*"|[\p{L}\p{N}_][\p{L}\p{N}_-]*)(?::::[\w-]+)?`
/** Crow's-foot ends, written on either side (Mermaid accepts both spellings on both sides). */
const SYMBOLS: Readonly<Record<string, string>> = {
  '|o': '0..1',
  'o|': '0..1',
  '||': '1',
  '}o': '0..*',
  'o{': '0..*',
  '}|': '1..*',
  '|{': '1..*',
}
const SYMBOL = String.raw`(\|o|o\||\|\||\}o|o\{|\}\||\|\{)`
const WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(one or zero|zero or one)$/, '0..1'],
  [/^(one or more|one or many|many\(1\)|1\+)$/, '1..*'],
  [/^(zero or more|zero or many|many\(0\)|0\+)$/, '0..*'],
  [/^(only one|1)$/, '1'],
]
const SYMBOLIC = new RegExp(String.raw`^(${NAME})\s*${SYMBOL}(--|\.\.)${SYMBOL}\s*(${NAME})\s*:\s*(.*)$`, 'u')
const CARDINALITY = String.raw`(one or zero|zero or one|one or more|one or many|many\(1\)|1\+|zero or more|zero or many|many\(0\)|0\+|only one|1)`
const WORDED = new RegExp(
  String.raw`^(${NAME})\s+${CARDINALITY}\s+(to|optionally to)\s+${CARDINALITY}\s+(${NAME})\s*:\s*(.*)$`,
  'u',
)
const ENTITY = new RegExp(
  String.raw`^(${NAME})(?:\s*\[\s*("[^"]*"|[^\]]*)\s*\])?\s*(\{)?\s*(?:(.*)\})?$`,
  'u',
)

interface Entity {
  label: string
  attributes: string[]
}

/** An entity's id: its name without quotes or a `:::class` suffix. */
function nameOf(raw: string): string {
  return unquote(raw.replace(/:::[\w-]+$/, '')).slice(0, DIAGRAM_LIMITS.idChars)
}

function cardinality(words: string): string {
  return WORDS.find(([pattern]) => pattern.test(words))?.[1] ?? words
}

/** `type name PK, FK "comment"` → one label line. */
function attributeLine(line: string): string {
  const match = line.match(/^(\S+)\s+(\S+)\s*((?:PK|FK|UK)(?:\s*,\s*(?:PK|FK|UK))*)?\s*(?:"([^"]*)")?$/)
  if (!match) return cleanMermaidLabel(line)
  const keys = match[3] ? ` ${match[3].replace(/\s+/g, '')}` : ''
  const comment = match[4] ? ` — ${match[4]}` : ''
  return `${match[1]!.replace(/~([^~]*)~/g, '<$1>')} ${match[2]}${keys}${comment}`
}

export function parseMermaidEr(text: string): TextParse {
  const body = diagramBody(text, HEADER, 'erDiagram')
  if (!isBody(body)) return body
  const entities = new Map<string, Entity>()
  const edges: DiagramEdge[] = []
  const warnings = new Set<string>()
  let direction: DiagramDirection | undefined
  let open: Entity | undefined
  const entity = (raw: string): Entity => {
    const id = nameOf(raw)
    let found = entities.get(id)
    if (!found) {
      found = { label: cleanMermaidLabel(id), attributes: [] }
      entities.set(id, found)
    }
    return found
  }
  for (const { text: line, line: lineNo } of body.statements) {
    if (open) {
      if (line === '}') open = undefined
      else open.attributes.push(attributeLine(line.replace(/\}$/, '').trim()))
      if (line.endsWith('}')) open = undefined
      continue
    }
    const dir = line.match(/^direction\s+(TB|TD|BT|LR|RL)\b/i)
    if (dir) {
      direction = DIRECTIONS[dir[1]!.toUpperCase()]
      continue
    }
    if (STYLING.test(line)) {
      warnings.add('styling (style, classDef, class) in ER diagrams is not applied')
      continue
    }
    const symbolic = line.match(SYMBOLIC)
    const worded = symbolic ? null : line.match(WORDED)
    if (symbolic || worded) {
      const [a, left, kind, right, b, role] = symbolic
        ? [
            symbolic[1]!,
            SYMBOLS[symbolic[2]!]!,
            symbolic[3] === '--' ? 'to' : '',
            SYMBOLS[symbolic[4]!]!,
            symbolic[5]!,
            symbolic[6]!,
          ]
        : [
            worded![1]!,
            cardinality(worded![2]!),
            worded![3] === 'to' ? 'to' : '',
            cardinality(worded![4]!),
            worded![5]!,
            worded![6]!,
          ]
      entity(a)
      entity(b)
      const name = cleanMermaidLabel(unquote(role))
      const edge: DiagramEdge = {
        from: nameOf(a),
        to: nameOf(b),
        label: clampLabel(`${name ? `${name} ` : ''}(${left} to ${right})`),
        undirected: true,
      }
      if (kind !== 'to') edge.dash = 'dashed'
      edges.push(edge)
      continue
    }
    const declared = line.match(ENTITY)
    if (declared) {
      const found = entity(declared[1]!)
      if (declared[2] !== undefined) found.label = cleanMermaidLabel(declared[2])
      if (declared[3]) {
        const inline = declared[4]?.trim()
        if (inline !== undefined) {
          for (const attribute of inline.split(/\s{2,}|\n/).filter(Boolean))
            found.attributes.push(attributeLine(attribute))
        } else open = found
      }
      continue
    }
    return failure(lineNo, `expected an entity or a relationship such as "A ||--o{ B : has"`)
  }
  const spec: DiagramSpec = {
    ...(body.source.title ? { title: body.source.title } : {}),
    direction: direction ?? 'down',
    nodes: [...entities].map(([id, { label, attributes }]) => ({
      id,
      label: clampLabel(
        attributes.length > 0 ? `${label}\n${'─'.repeat(12)}\n${attributes.join('\n')}` : label,
      ),
      shape: 'rectangle' as const,
      sourceShape: 'erEntity',
    })),
    edges,
  }
  const limit = overLimits(spec)
  return limit ? failure(body.source.lines.length, limit) : { ok: true, spec, warnings: [...warnings] }
}
