/**
 * What the offline text parsers share: their result type, node naming by label, and the spec
 * limits applied to what they produce. Owns: slug ids and the "same name, same node" rule.
 * Must not touch: tldraw records, layout, I/O.
 */
import { DIAGRAM_LIMITS, type DiagramNode, type DiagramSpec, type NodeShape } from './spec'

/** A parsed text diagram, or where and why parsing stopped (1-based line). */
export type TextParse =
  | { ok: true; spec: DiagramSpec; warnings: string[] }
  | { ok: false; line: number; error: string }

export function failure(line: number, error: string): TextParse {
  return { ok: false, line, error }
}

/** A readable, stable id for a label: lower-case words joined by `-` (at most 40 characters). */
export function slug(text: string): string {
  const base = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return base || 'node'
}

/** Cuts a label to the spec's limit. */
export function clampLabel(text: string): string {
  return text.length > DIAGRAM_LIMITS.labelChars ? text.slice(0, DIAGRAM_LIMITS.labelChars) : text
}

/** Nodes named by their label: the same name (ignoring case and spacing) is the same node. */
export class NamedNodes {
  readonly nodes: DiagramNode[] = []
  private readonly byName = new Map<string, string>()
  private readonly ids = new Set<string>()

  /** The node id for `name`, creating the node on first use. */
  idFor(name: string, shape?: NodeShape): string {
    const key = name.trim().replace(/\s+/g, ' ').toLowerCase()
    const known = this.byName.get(key)
    if (known) return known
    const base = slug(name)
    let id = base
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`
    this.ids.add(id)
    this.byName.set(key, id)
    const node: DiagramNode = { id, label: clampLabel(name.trim()) }
    if (shape) node.shape = shape
    this.nodes.push(node)
    return id
  }
}

/** The spec's size limits as a parse error, or null when within them. */
export function overLimits(spec: DiagramSpec): string | null {
  if (spec.nodes.length > DIAGRAM_LIMITS.nodes) {
    return `${spec.nodes.length} nodes is more than the limit of ${DIAGRAM_LIMITS.nodes}`
  }
  if (spec.edges.length > DIAGRAM_LIMITS.edges) {
    return `${spec.edges.length} edges is more than the limit of ${DIAGRAM_LIMITS.edges}`
  }
  if ((spec.groups?.length ?? 0) > DIAGRAM_LIMITS.groups) {
    return `${spec.groups?.length} groups is more than the limit of ${DIAGRAM_LIMITS.groups}`
  }
  return null
}

/** A question reads as a decision. */
export function shapeForStep(label: string): NodeShape | undefined {
  return label.trim().endsWith('?') ? 'diamond' : undefined
}
