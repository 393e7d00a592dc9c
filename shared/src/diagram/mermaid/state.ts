/**
 * Mermaid state diagrams (`stateDiagram` / `stateDiagram-v2`) → diagram spec: states (with their
 * descriptions), `[*]` as start and end dots per scope (`root_start`, `First_end`, as Mermaid
 * names them), transitions with labels, composite states as groups (nested, with their own
 * direction), `<<fork>>` / `<<join>>` bars and `<<choice>>` diamonds, notes as yellow boxes linked
 * to their state. Owns: the state grammar. Must not touch: records, layout.
 */
import {
  DIAGRAM_LIMITS,
  type DiagramDirection,
  type DiagramEdge,
  type DiagramGroup,
  type DiagramNode,
  type DiagramSpec,
} from '../spec'
import { clampLabel, failure, overLimits, type TextParse } from '../textParse'
import { diagramBody, isBody, STYLING, unquote } from './diagramBody'
import { DIRECTIONS } from './header'
import { cleanMermaidLabel } from './labels'

const HEADER = /^stateDiagram(?:-v2)?\b\s*(.*)$/
const ID = String.raw`(?:\[\*\]|[\p{L}\p{N}_][\p{L}\p{N}_.-]*)`
const TRANSITION = new RegExp(
  String.raw`^(${ID})(?::::[\w-]+)?\s*-->\s*(${ID})(?::::[\w-]+)?\s*(?::\s*(.*))?$`,
  'u',
)
const DESCRIPTION = new RegExp(String.raw`^(${ID})\s*:\s*(.*)$`, 'u')
const DECLARE =
  /^state\s+(?:"([^"]*)"\s+as\s+)?([\p{L}\p{N}_][\p{L}\p{N}_.-]*)(?:\s+as\s+"([^"]*)")?\s*(<<(fork|join|choice)>>)?\s*(\{)?$/u
const NOTE = /^note\s+(left|right)\s+of\s+([\p{L}\p{N}_][\p{L}\p{N}_.-]*)\s*(?::\s*(.*))?$/u

interface StateInfo {
  descriptions: string[]
  kind?: 'start' | 'end' | 'fork' | 'join' | 'choice'
  title?: string
  parent?: string
}

class StateBuilder {
  readonly states = new Map<string, StateInfo>()
  readonly composites: Array<DiagramGroup & { direction?: DiagramDirection }> = []
  readonly edges: DiagramEdge[] = []
  readonly notes: DiagramNode[] = []
  readonly scopes: string[] = []
  rootDirection: DiagramDirection | undefined

  private scope(): string | undefined {
    return this.scopes.at(-1)
  }

  /** A state by id; `[*]` is this scope's start (as a source) or end (as a target). */
  touch(raw: string, role: 'from' | 'to'): string {
    if (raw === '[*]') {
      const id = `${this.scope() ?? 'root'}_${role === 'from' ? 'start' : 'end'}`
      return this.ensure(id, role === 'from' ? 'start' : 'end')
    }
    return this.ensure(raw.slice(0, DIAGRAM_LIMITS.idChars))
  }

  ensure(id: string, kind?: StateInfo['kind']): string {
    if (!this.states.has(id) && !this.composites.some((group) => group.id === id)) {
      const parent = this.scope()
      this.states.set(id, { descriptions: [], ...(kind ? { kind } : {}), ...(parent ? { parent } : {}) })
    }
    return id
  }

  open(id: string, title?: string): void {
    // A state mentioned before becomes the composite: it is a group, not a node.
    const known = this.states.get(id)
    this.states.delete(id)
    const parent = known?.parent ?? this.scope()
    const label = title ?? (known?.descriptions.length ? known.descriptions.join('\n') : id)
    this.composites.push({ id, label: clampLabel(label), ...(parent ? { parent } : {}) })
    this.scopes.push(id)
  }

  direction(direction: DiagramDirection): void {
    const scope = this.scope()
    const group = this.composites.find((g) => g.id === scope)
    if (group) group.direction = direction
    else this.rootDirection = direction
  }

  describe(id: string, text: string): void {
    const group = this.composites.find((g) => g.id === id)
    if (group) group.label = clampLabel(cleanMermaidLabel(text))
    else this.states.get(this.ensure(id))!.descriptions.push(cleanMermaidLabel(text))
  }

  note(side: string, of: string, text: string): void {
    const target = this.ensure(of)
    const id = `${target}----note-${this.notes.length}`
    const parent = this.states.get(target)?.parent
    this.notes.push({
      id,
      label: clampLabel(cleanMermaidLabel(text)),
      shape: 'rectangle',
      color: 'yellow',
      fill: 'solid',
      sourceShape: 'note',
      ...(parent ? { group: parent } : {}),
    })
    this.edges.push(
      side === 'left'
        ? { from: id, to: target, dash: 'dashed', undirected: true }
        : { from: target, to: id, dash: 'dashed', undirected: true },
    )
  }
}

const KIND_NODE: Readonly<Record<NonNullable<StateInfo['kind']>, Partial<DiagramNode>>> = {
  start: {
    shape: 'ellipse',
    color: 'black',
    fill: 'fill',
    sourceShape: 'sm-circ',
    box: { x: 0, y: 0, w: 28, h: 28 },
  },
  end: {
    shape: 'ellipse',
    color: 'black',
    fill: 'semi',
    sourceShape: 'fr-circ',
    box: { x: 0, y: 0, w: 32, h: 32 },
  },
  fork: {
    shape: 'rectangle',
    color: 'black',
    fill: 'fill',
    sourceShape: 'fork',
    box: { x: 0, y: 0, w: 90, h: 12 },
  },
  join: {
    shape: 'rectangle',
    color: 'black',
    fill: 'fill',
    sourceShape: 'fork',
    box: { x: 0, y: 0, w: 90, h: 12 },
  },
  choice: { shape: 'diamond', sourceShape: 'diam', box: { x: 0, y: 0, w: 44, h: 44 } },
}

export function parseMermaidState(text: string): TextParse {
  const body = diagramBody(text, HEADER, 'stateDiagram-v2')
  if (!isBody(body)) return body
  const builder = new StateBuilder()
  const warnings = new Set<string>()
  let note: { side: string; of: string; lines: string[] } | undefined
  for (const { text: line, line: lineNo } of body.statements) {
    if (note) {
      if (/^end\s+note$/.test(line)) {
        builder.note(note.side, note.of, note.lines.join('\n'))
        note = undefined
      } else note.lines.push(line)
      continue
    }
    const transition = line.match(TRANSITION)
    if (transition) {
      const edge: DiagramEdge = {
        from: builder.touch(transition[1]!, 'from'),
        to: builder.touch(transition[2]!, 'to'),
      }
      const label = transition[3] ? cleanMermaidLabel(transition[3]) : ''
      if (label) edge.label = label
      builder.edges.push(edge)
      continue
    }
    const declared = line.match(DECLARE)
    if (declared) {
      const id = declared[2]!
      const title = declared[1] ?? declared[3]
      if (declared[6]) builder.open(id, title === undefined ? undefined : cleanMermaidLabel(title))
      else {
        builder.ensure(id, declared[5] as StateInfo['kind'])
        if (title !== undefined) builder.describe(id, title)
      }
      continue
    }
    if (line === '}') {
      if (!builder.scopes.pop()) return failure(lineNo, '"}" without an open composite state')
      continue
    }
    const noted = line.match(NOTE)
    if (noted) {
      if (noted[3] !== undefined) builder.note(noted[1]!, noted[2]!, noted[3])
      else note = { side: noted[1]!, of: noted[2]!, lines: [] }
      continue
    }
    const dir = line.match(/^direction\s+(TB|TD|BT|LR|RL)\b/i)
    if (dir) {
      builder.direction(DIRECTIONS[dir[1]!.toUpperCase()]!)
      continue
    }
    if (line === '--') {
      warnings.add('concurrent regions ("--") are drawn in one frame')
      continue
    }
    if (STYLING.test(line) || /^(hide|scale)\b/.test(line)) {
      if (STYLING.test(line))
        warnings.add('styling (classDef, class, style) in state diagrams is not applied')
      continue
    }
    const description = line.match(DESCRIPTION)
    if (description) {
      builder.describe(description[1]!, unquote(description[2]!))
      continue
    }
    if (new RegExp(String.raw`^${ID}(?::::[\w-]+)?$`, 'u').test(line)) {
      builder.ensure(line.replace(/:::.*$/, ''))
      continue
    }
    return failure(lineNo, 'expected a state, a transition such as "A --> B" or "state Name {"')
  }
  if (builder.scopes.length > 0)
    warnings.add(`composite state "${builder.scopes.at(-1)}" is not closed with "}"`)
  const groupIds = new Set(builder.composites.map((g) => g.id))
  const nodes: DiagramNode[] = [
    ...[...builder.states].map(
      ([id, info]): DiagramNode => ({
        id,
        // Start, end, fork, join and choice are drawn without text, as Mermaid draws them.
        label: info.kind ? '' : info.descriptions.length > 0 ? clampLabel(info.descriptions.join('\n')) : id,
        ...(info.kind ? KIND_NODE[info.kind] : { shape: 'rectangle' as const }),
        ...(info.parent && groupIds.has(info.parent) ? { group: info.parent } : {}),
      }),
    ),
    ...builder.notes,
  ]
  const spec: DiagramSpec = {
    ...(body.source.title ? { title: body.source.title } : {}),
    direction: builder.rootDirection ?? 'down',
    nodes,
    edges: builder.edges,
    ...(builder.composites.length > 0 ? { groups: builder.composites } : {}),
  }
  const limit = overLimits(spec)
  return limit ? failure(body.source.lines.length, limit) : { ok: true, spec, warnings: [...warnings] }
}
