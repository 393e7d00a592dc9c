/**
 * Mermaid class diagrams (`classDiagram`) → diagram spec: each class a box labelled with its
 * annotation (`«interface»`), name (generics as `<T>`), attributes and methods; relationships as
 * links with their heads (inheritance and realization → triangle, composition and aggregation →
 * diamond, association → arrow, lollipop → dot; dashed for `..`), label and cardinalities;
 * namespaces as groups; notes as yellow boxes, linked to their class. Owns: the class grammar.
 * Must not touch: records, layout.
 */
import {
  DIAGRAM_LIMITS,
  type DiagramArrowhead,
  type DiagramDirection,
  type DiagramEdge,
  type DiagramGroup,
  type DiagramSpec,
} from '../spec'
import { clampLabel, failure, overLimits, type TextParse } from '../textParse'
import { diagramBody, isBody, STYLING, unquote } from './diagramBody'
import { DIRECTIONS } from './header'
import { cleanMermaidLabel } from './labels'

const HEADER = /^classDiagram(?:-v2)?\b\s*(.*)$/
const NAME = '(?:`[^`]+`|[\\p{L}\\p{N}_]+(?:~[^~\\s]*~)?)'
const RELATION = new RegExp(
  String.raw`^(${NAME})\s*(?:"([^"]*)")?\s*(<\||\*|o|<|\(\))?(--|\.\.)(\|>|\*|o|>|\(\))?\s*(?:"([^"]*)")?\s*(${NAME})\s*(?::\s*(.*))?$`,
  'u',
)
const CLASS = new RegExp(
  String.raw`^class\s+(${NAME})\s*(?:\[\s*"?([^"\]]*)"?\s*\])?\s*(?::::([\w-]+))?\s*(?:<<(.+)>>)?\s*(\{)?\s*(\})?$`,
  'u',
)
const MEMBER = new RegExp(String.raw`^(${NAME})\s*:\s*(.+)$`, 'u')
const HEADS: Readonly<Record<string, DiagramArrowhead>> = {
  '<|': 'triangle',
  '|>': 'triangle',
  '*': 'diamond',
  o: 'diamond',
  '<': 'arrow',
  '>': 'arrow',
  '()': 'dot',
}

interface ClassInfo {
  label?: string
  generic?: string
  annotations: string[]
  attributes: string[]
  methods: string[]
  group?: string
}

/** `Square~Shape~` → id `Square`, generic `Shape`; backticked names lose their backticks. */
function splitName(raw: string): { id: string; generic?: string } {
  const name = raw.startsWith('`') ? raw.slice(1, -1) : raw
  const generic = name.match(/^(.*?)~([^~]*)~$/)
  const id = (generic ? generic[1]! : name).slice(0, DIAGRAM_LIMITS.idChars)
  return generic ? { id, generic: generic[2]!.replace(/~([^~]*)~/g, '<$1>') } : { id }
}

/** A member as shown: generics as `<T>` (after cleaning, which would read them as tags), no `$` / `*` markers. */
const display = (member: string) =>
  clampLabel(cleanMermaidLabel(member.trim().replace(/[$*]$/, '')).replace(/~([^~]*)~/g, '<$1>'))

class ClassBuilder {
  readonly classes = new Map<string, ClassInfo>()
  readonly edges: DiagramEdge[] = []
  readonly notes: Array<{ id: string; text: string; group?: string }> = []
  readonly groups: DiagramGroup[] = []
  readonly namespaces: string[] = []
  readonly interfaces: Array<{ id: string; label: string }> = []
  open: ClassInfo | undefined

  touch(raw: string): { id: string; info: ClassInfo } {
    const { id, generic } = splitName(raw)
    let info = this.classes.get(id)
    if (!info) {
      info = { annotations: [], attributes: [], methods: [] }
      const namespace = this.namespaces.at(-1)
      if (namespace) info.group = namespace
      this.classes.set(id, info)
    }
    if (generic) info.generic = generic
    return { id, info }
  }

  member(info: ClassInfo, text: string): void {
    const trimmed = text.trim()
    const annotation = trimmed.match(/^<<(.+)>>$/)
    if (annotation) info.annotations.push(annotation[1]!.trim())
    else if (trimmed.includes('(')) info.methods.push(display(trimmed))
    else if (trimmed !== '') info.attributes.push(display(trimmed))
  }

  /** A lollipop end (`()`) is an interface of that name, drawn as a small circle, not a class. */
  interfaceNode(name: string): string {
    const id = `interface${this.interfaces.length}`
    this.interfaces.push({ id, label: cleanMermaidLabel(splitName(name).id) })
    return id
  }

  relation(match: RegExpMatchArray): void {
    const [, a, c1, left, line, right, c2, b, title] = match
    const from = left === '()' ? this.interfaceNode(a!) : this.touch(a!).id
    const to = right === '()' ? this.interfaceNode(b!) : this.touch(b!).id
    const name = title ? cleanMermaidLabel(unquote(title)) : ''
    const counts = c1 || c2 ? `(${c1 ?? ''} to ${c2 ?? ''})` : ''
    const label = clampLabel([name, counts].filter(Boolean).join(' '))
    const edge: DiagramEdge = {
      from,
      to,
      heads: {
        start: left && left !== '()' ? HEADS[left]! : 'none',
        end: right && right !== '()' ? HEADS[right]! : 'none',
      },
    }
    if (label) edge.label = label
    if (line === '..') edge.dash = 'dashed'
    this.edges.push(edge)
  }
}

/** One statement outside a class body; false when it is not class-diagram syntax. */
function statement(builder: ClassBuilder, line: string, warnings: Set<string>): boolean {
  const namespace = line.match(/^namespace\s+([\w.-]+)\s*(?:\[\s*"?([^"\]]*)"?\s*\])?\s*\{$/)
  if (namespace) {
    const parent = builder.namespaces.at(-1)
    const id = namespace[1]!.slice(0, DIAGRAM_LIMITS.idChars)
    builder.groups.push({ id, label: cleanMermaidLabel(namespace[2] ?? id), ...(parent ? { parent } : {}) })
    builder.namespaces.push(id)
    return true
  }
  if (line === '}' && builder.namespaces.length > 0) {
    builder.namespaces.pop()
    return true
  }
  const cls = line.match(CLASS)
  if (cls) {
    const { info } = builder.touch(cls[1]!)
    if (cls[2] !== undefined) info.label = cleanMermaidLabel(cls[2])
    if (cls[4]) info.annotations.push(cls[4].trim())
    if (cls[5] && !cls[6]) builder.open = info
    return true
  }
  const annotation = line.match(new RegExp(String.raw`^<<(.+)>>\s*(${NAME})$`, 'u'))
  if (annotation) {
    builder.touch(annotation[2]!).info.annotations.push(annotation[1]!.trim())
    return true
  }
  const note = line.match(/^note\s+(?:for\s+(\S+)\s+)?"([\s\S]*)"$/)
  if (note) {
    const id = `note-${builder.notes.length + 1}`
    builder.notes.push({
      id,
      text: cleanMermaidLabel(note[2]!),
      ...(builder.namespaces.at(-1) ? { group: builder.namespaces.at(-1) } : {}),
    })
    if (note[1])
      builder.edges.push({ from: id, to: builder.touch(note[1]).id, dash: 'dashed', undirected: true })
    return true
  }
  if (STYLING.test(line)) {
    warnings.add('styling and interaction (style, classDef, click, link) in class diagrams are not applied')
    return true
  }
  const relation = line.match(RELATION)
  if (relation) {
    builder.relation(relation)
    return true
  }
  const member = line.match(MEMBER)
  if (member) {
    builder.member(builder.touch(member[1]!).info, member[2]!)
    return true
  }
  const bare = line.match(new RegExp(`^(${NAME})$`, 'u'))
  if (bare) builder.touch(bare[1]!)
  return bare !== null
}

function classLabel(id: string, info: ClassInfo): string {
  const head = [
    ...info.annotations.map((a) => `«${a}»`),
    `${info.label ?? id}${info.generic ? `<${info.generic}>` : ''}`,
  ].join('\n')
  const rule = '─'.repeat(12)
  const sections = [head]
  if (info.attributes.length > 0 || info.methods.length > 0) sections.push(info.attributes.join('\n'))
  if (info.methods.length > 0) sections.push(info.methods.join('\n'))
  return clampLabel(sections.join(`\n${rule}\n`))
}

export function parseMermaidClass(text: string): TextParse {
  const body = diagramBody(text, HEADER, 'classDiagram')
  if (!isBody(body)) return body
  const builder = new ClassBuilder()
  const warnings = new Set<string>()
  let direction: DiagramDirection | undefined
  for (const { text: line, line: lineNo } of body.statements) {
    if (builder.open) {
      if (line === '}') builder.open = undefined
      else builder.member(builder.open, line)
      continue
    }
    const dir = line.match(/^direction\s+(TB|TD|BT|LR|RL)\b/i)
    if (dir) direction = DIRECTIONS[dir[1]!.toUpperCase()]
    else if (!statement(builder, line, warnings))
      return failure(
        lineNo,
        'expected a class, a member ("Class : +field") or a relationship such as "A <|-- B"',
      )
  }
  const spec: DiagramSpec = {
    ...(body.source.title ? { title: body.source.title } : {}),
    direction: direction ?? 'down',
    nodes: [
      ...[...builder.classes].map(([id, info]) => ({
        id,
        label: classLabel(id, info),
        shape: 'rectangle' as const,
        sourceShape: 'class',
        ...(info.group ? { group: info.group } : {}),
      })),
      ...builder.interfaces.map((face) => ({
        id: face.id,
        label: face.label,
        shape: 'ellipse' as const,
        sourceShape: 'lollipop',
      })),
      ...builder.notes.map((note) => ({
        id: note.id,
        label: note.text,
        shape: 'rectangle' as const,
        color: 'yellow' as const,
        fill: 'solid' as const,
        sourceShape: 'note',
        ...(note.group ? { group: note.group } : {}),
      })),
    ],
    edges: builder.edges,
    ...(builder.groups.length > 0 ? { groups: builder.groups } : {}),
  }
  const limit = overLimits(spec)
  return limit ? failure(body.source.lines.length, limit) : { ok: true, spec, warnings: [...warnings] }
}
