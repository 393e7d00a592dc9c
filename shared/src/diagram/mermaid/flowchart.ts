/**
 * Mermaid 11 flowcharts (`flowchart` / `graph`) → diagram spec: nodes with bracket shapes or the
 * shape catalogue (`A@{ shape: cyl, label: "…" }`, `icon:` / `img:` nodes drawn as their labelled
 * shape), links of every kind with ids and properties, chains and `&`, subgraphs (nested, with
 * their own direction, as link ends), styling mapped to tldraw colours. What cannot be drawn is
 * listed in the result's warnings. Owns: flowchart statements → spec. Must not touch: records, layout.
 */
import type {
  DiagramColor,
  DiagramDash,
  DiagramDirection,
  DiagramEdge,
  DiagramFill,
  DiagramSpec,
} from '../spec'
import { failure, overLimits, type TextParse } from '../textParse'
import { readStyle } from './colors'
import { type LinkHead, type LinkRef, type NodeRef, StatementError, StatementReader } from './flowReader'
import { DIRECTIONS, FLOWCHART_HEADER, flowchartStart } from './header'
import { cleanMermaidLabel } from './labels'
import { type MermaidSource, readPreamble } from './preamble'
import { catalogueShape } from './shapes'
import { joinContinuations, type Statement, splitStatements, UnclosedError } from './statements'
import { Subgraphs } from './subgraphs'

const HEAD_STYLE: Readonly<Record<LinkHead, 'arrow' | 'dot' | 'bar'>> = {
  arrow: 'arrow',
  circle: 'dot',
  cross: 'bar',
}

interface Styled {
  color?: DiagramColor
  fill?: DiagramFill
  dash?: DiagramDash
}

interface NodeInfo {
  label?: string
  shapeName?: string
  classes: string[]
}

class FlowchartBuilder {
  readonly nodes = new Map<string, NodeInfo>()
  readonly links: Array<{ from: string; to: string; link: LinkRef }> = []
  readonly linkIds = new Map<string, number>()
  readonly subgraphs = new Subgraphs()
  readonly classDefs = new Map<string, string>()
  readonly nodeStyles = new Map<string, string[]>()
  readonly linkStyles = new Map<number | 'default', string>()
  readonly warnings = new Set<string>()
  readonly clicks: string[] = []

  touch(ref: NodeRef): string {
    let info = this.nodes.get(ref.id)
    if (!info) {
      info = { classes: [] }
      this.nodes.set(ref.id, info)
    }
    if (ref.label !== undefined) info.label = ref.label
    if (ref.shapeName) info.shapeName = ref.shapeName
    info.classes.push(...ref.classes)
    if (ref.data) this.shapeData(ref.id, info, ref.data)
    this.subgraphs.mention(ref.id)
    return ref.id
  }

  private shapeData(id: string, info: NodeInfo, data: Map<string, string>): void {
    const label = data.get('label')
    if (label !== undefined) info.label = cleanMermaidLabel(label)
    const shape = data.get('shape')
    if (shape !== undefined) {
      const known = catalogueShape(shape)
      if (known) info.shapeName = known.name
      else this.warnings.add(`node ${id}: Mermaid has no shape "${shape}"; drawn as a rectangle`)
    }
    for (const key of ['icon', 'img'] as const) {
      const value = data.get(key)
      if (value === undefined) continue
      if (!data.has('label')) info.label = ''
      if (!info.shapeName) info.shapeName = key === 'icon' ? 'icon' : 'image'
      this.warnings.add(
        `node ${id}: its ${key === 'icon' ? `icon "${value}"` : `image ${value}`} is not drawn, only its shape and label`,
      )
    }
  }

  statement(source: string): void {
    const reader: StatementReader = new StatementReader(source)
    const first = reader.nodeGroup()
    // `e1@{ … }` names a link already read: its properties.
    if (first.length === 1 && first[0]!.data && this.linkIds.has(first[0]!.id) && reader.done) {
      this.linkData(first[0]!.id, first[0]!.data)
      return
    }
    let left = first.map((ref) => this.touch(ref))
    while (!reader.done) {
      const link = reader.link()
      if (!link) reader.fail('expected a link such as "-->"')
      const right = reader.nodeGroup().map((ref) => this.touch(ref))
      for (const from of left) {
        for (const to of right) {
          this.name(link.id !== undefined && !this.linkIds.has(link.id) ? link.id : undefined, from, to)
          this.links.push({ from, to, link })
        }
      }
      left = right
    }
  }

  /** A link's id: its own, or Mermaid's generated `L_from_to_n` (n: 0, then 2, 3, … for repeats). */
  private name(id: string | undefined, from: string, to: string): void {
    const repeats = this.links.filter((l) => l.from === from && l.to === to).length
    this.linkIds.set(id ?? `L_${from}_${to}_${repeats === 0 ? 0 : repeats + 1}`, this.links.length)
  }

  private linkData(id: string, data: Map<string, string>): void {
    if (data.get('animate') === 'true' || data.has('animation'))
      this.warnings.add(`link ${id}: animation is not drawn (tldraw arrows are still)`)
    if (data.has('curve'))
      this.warnings.add(`link ${id}: the "${data.get('curve')}" curve is drawn as a right-angled arrow`)
  }

  edges(): DiagramEdge[] {
    return this.links.map(({ from, to, link }, index) => {
      const edge: DiagramEdge = { from, to }
      if (link.label) edge.label = link.label
      if (link.stroke === 'dotted') edge.dash = 'dotted'
      if (link.stroke === 'invisible') edge.invisible = true
      if (link.start && link.end) edge.bidirectional = true
      if (!link.start && !link.end) edge.undirected = true
      if (link.start && !link.end) {
        // `<--` with no head at the right end: the arrow points back.
        edge.from = to
        edge.to = from
        if (link.start !== 'arrow') edge.heads = { start: 'none', end: HEAD_STYLE[link.start] }
      } else if ((link.start ?? 'arrow') !== 'arrow' || (link.end ?? 'arrow') !== 'arrow') {
        edge.heads = {
          start: link.start ? HEAD_STYLE[link.start] : 'none',
          end: link.end ? HEAD_STYLE[link.end] : 'none',
        }
      }
      const style = this.linkStyles.get(index) ?? this.linkStyles.get('default')
      if (style) this.applyStyle(edge, style, false)
      return edge
    })
  }

  /** Applies a style list to a node (colour, fill, dash) or a link (`fills` false: colour, dash). */
  applyStyle(target: Styled, list: string, fills = true): void {
    const style = readStyle(list)
    if (style.color) target.color = style.color
    if (style.fill && fills) target.fill = style.fill
    if (style.dash) target.dash = style.dash
    if (style.skipped.length > 0)
      this.warnings.add(`styling tldraw has no equivalent for was left out: ${style.skipped.join(', ')}`)
  }
}

/** Styling and interaction statements; true when `text` was one. */
function styling(builder: FlowchartBuilder, text: string): boolean {
  const keyword = text.match(/^(classDef|class|style|linkStyle|click)\s+(.*)$/s)
  if (!keyword) return false
  const rest = keyword[2]!.trim()
  const [first = '', ...others] = rest.split(/\s+/)
  const tail = others.join(' ')
  switch (keyword[1]) {
    case 'classDef':
      for (const name of first.split(',')) builder.classDefs.set(name, tail)
      break
    case 'class':
      for (const id of first.split(',')) builder.nodes.get(id)?.classes.push(...tail.split(','))
      break
    case 'style':
      builder.nodeStyles.set(first, [...(builder.nodeStyles.get(first) ?? []), tail])
      break
    case 'linkStyle':
      for (const at of first.split(',')) {
        const index = at === 'default' ? 'default' : Number(at)
        if (index === 'default' || Number.isInteger(index))
          builder.linkStyles.set(index, tail.replace(/^interpolate\s+\S+\s*/, ''))
      }
      break
    default:
      builder.clicks.push(first)
  }
  return true
}

function readStatements(builder: FlowchartBuilder, statements: Statement[]): TextParse | null {
  for (const { text, line } of joinContinuations(statements)) {
    if (styling(builder, text)) continue
    const subgraph = text.match(/^subgraph\b(.*)$/s)
    if (subgraph) {
      builder.subgraphs.begin(subgraph[1]!)
      continue
    }
    if (/^end\b/.test(text) && !/^end[\w-]/.test(text)) {
      if (!builder.subgraphs.end()) return failure(line, '"end" without an open subgraph')
      continue
    }
    const direction = text.match(/^direction\s+(TB|TD|BT|LR|RL)\b/i)
    if (direction) {
      builder.subgraphs.direction(DIRECTIONS[direction[1]!.toUpperCase()]!)
      continue
    }
    try {
      builder.statement(text)
    } catch (error) {
      if (error instanceof StatementError) return failure(line, error.message)
      throw error
    }
  }
  return null
}

/** Parses a Mermaid flowchart. Errors name the 1-based line (of `text`) and the column. */
export function parseMermaidFlowchart(text: string): TextParse {
  const source = readPreamble(text)
  const start = flowchartStart(source)
  if (start < 0) {
    const first = source.lines.findIndex((line) => line.trim() !== '')
    if (first < 0)
      return failure(1, 'the text is empty: a flowchart starts with "graph TD" or "flowchart LR"')
    return failure(first + 1, 'expected "graph TD", "flowchart LR" or similar to start a flowchart')
  }
  const header = source.lines[start]!.trim().match(FLOWCHART_HEADER)!
  const direction = DIRECTIONS[(header[1] ?? 'TD').toUpperCase()]
  const lines = [...source.lines]
  lines[start] = header[2]!.replace(/^;/, '')
  let statements: Statement[]
  try {
    statements = splitStatements(lines, start)
  } catch (error) {
    if (error instanceof UnclosedError) return failure(error.line, error.message)
    throw error
  }
  const builder = new FlowchartBuilder()
  const stopped = readStatements(builder, statements)
  if (stopped) return stopped
  const warnings = builder.warnings
  while (builder.subgraphs.depth > 0) {
    warnings.add(`subgraph "${builder.subgraphs.innermost}" is not closed with "end"`)
    builder.subgraphs.end()
  }
  return assemble(builder, source, direction)
}

function assemble(builder: FlowchartBuilder, source: MermaidSource, direction?: DiagramDirection): TextParse {
  const warnings = builder.warnings
  const groups = builder.subgraphs.groups()
  const groupIds = new Set(groups.map((group) => group.id))
  const nodes = [...builder.nodes]
    .filter(([id]) => !groupIds.has(id))
    .map(([id, info]) => {
      const known = info.shapeName ? catalogueShape(info.shapeName) : null
      const node: DiagramSpec['nodes'][number] = { id, label: info.label ?? id }
      if (known) node.shape = known.shape
      if (info.shapeName) node.sourceShape = info.shapeName
      const parent = builder.subgraphs.parentOf(id)
      if (parent) node.group = parent
      const styles = [
        ...info.classes.flatMap((name) => builder.classDefs.get(name) ?? []),
        ...(builder.nodeStyles.get(id) ?? []),
      ]
      for (const list of styles) builder.applyStyle(node, list)
      return node
    })
  if (builder.clicks.length > 0)
    warnings.add(`click actions (on ${[...new Set(builder.clicks)].join(', ')}) are not carried over`)
  const edges = builder.edges()
  const spec: DiagramSpec = {
    ...(source.title ? { title: source.title } : {}),
    ...(direction ? { direction } : {}),
    nodes,
    edges,
    ...(groups.length > 0
      ? {
          groups: groups.map(({ id, label, parent, direction: inner }) => ({
            id,
            label,
            ...(parent ? { parent } : {}),
            ...(inner ? { direction: inner } : {}),
          })),
        }
      : {}),
  }
  const limit = overLimits(spec)
  return limit ? failure(source.lines.length, limit) : { ok: true, spec, warnings: [...warnings] }
}
