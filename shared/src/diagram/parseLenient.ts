/**
 * Reading untrusted diagram plans (model output, uploads) into the diagram model part by part:
 * every node, edge and group is checked on its own, so valid parts survive and invalid ones become
 * problems in words. Never throws, whatever the input. Owns: assembling the spec (dedupe, edge ends
 * by id or label, group parents). Must not touch: edit operations (parseLenientEdits.ts), tldraw
 * records, layout, I/O.
 */
import {
  asBoolean,
  asEnum,
  asId,
  asLabel,
  checked,
  DASH_ALIASES,
  DIRECTION_ALIASES,
  isObject,
  items,
  Problems,
  pick,
  preview,
  readDistinct,
  readStyleFields,
  unwrapJson,
} from './lenientValues'
import {
  DIAGRAM_DASHES,
  DIAGRAM_DIRECTIONS,
  DIAGRAM_LIMITS,
  type DiagramEdge,
  DiagramEdgeSchema,
  type DiagramGroup,
  DiagramGroupSchema,
  type DiagramNode,
  DiagramNodeSchema,
  type DiagramSpec,
} from './spec'

/** One node from untrusted input, or null (with a problem). A missing id falls back to the label. */
export function readNode(value: unknown, where: string, problems: Problems): DiagramNode | null {
  if (!isObject(value)) {
    problems.add(`${where} is not an object (${preview(value)})`)
    return null
  }
  const rawLabel = pick(value, 'label', 'text', 'name', 'title')
  const label = asLabel(rawLabel, where, problems)
  const rawId = pick(value, 'id', 'key')
  const id = rawId === undefined ? (label ? asId(label.slice(0, DIAGRAM_LIMITS.idChars)) : null) : asId(rawId)
  if (!id) {
    problems.add(`${where} has no usable id (${preview(value)})`)
    return null
  }
  const node: DiagramNode = { id, label: label ?? id }
  const { shape, color, fill } = readStyleFields(value, where, problems, ['shape', 'geo', 'type'])
  const group = pick(value, 'group', 'parent')
  if (shape) node.shape = shape
  if (color) node.color = color
  if (fill) node.fill = fill
  if (group !== undefined) {
    const groupId = asId(group)
    if (groupId) node.group = groupId
    else problems.add(`${where}: group ${preview(group)} is not an id; ignored`)
  }
  return checked(DiagramNodeSchema, node, where, problems)
}

function readEdge(value: unknown, where: string, problems: Problems): DiagramEdge | null {
  if (!isObject(value)) {
    problems.add(`${where} is not an object (${preview(value)})`)
    return null
  }
  const from = asId(pick(value, 'from', 'source', 'start'))
  const to = asId(pick(value, 'to', 'target', 'end'))
  if (!from || !to) {
    problems.add(`${where} needs "from" and "to" (${preview(value)})`)
    return null
  }
  const edge: DiagramEdge = { from, to }
  const label = asLabel(pick(value, 'label', 'text'), where, problems)
  if (label) edge.label = label
  const dash = asEnum(pick(value, 'dash', 'style'), DIAGRAM_DASHES, DASH_ALIASES, `${where} dash`, problems)
  if (dash) edge.dash = dash
  if (asBoolean(value.bidirectional)) edge.bidirectional = true
  if (asBoolean(value.undirected)) edge.undirected = true
  return checked(DiagramEdgeSchema, edge, where, problems)
}

function readGroup(value: unknown, where: string, problems: Problems): DiagramGroup | null {
  if (!isObject(value)) {
    problems.add(`${where} is not an object (${preview(value)})`)
    return null
  }
  const label = asLabel(pick(value, 'label', 'name', 'title'), where, problems)
  const rawId = value.id ?? undefined
  const id = rawId === undefined ? (label ? asId(label.slice(0, DIAGRAM_LIMITS.idChars)) : null) : asId(rawId)
  if (!id) {
    problems.add(`${where} has no usable id (${preview(value)})`)
    return null
  }
  const parent = value.parent === undefined || value.parent === null ? null : asId(value.parent)
  const group = { id, label: label ?? id, ...(parent ? { parent } : {}) }
  return checked(DiagramGroupSchema, group, where, problems)
}

/**
 * A diagram spec from any value (object, JSON text, `{ spec }` wrapper, garbage): the valid nodes,
 * groups and edges, node ids deduplicated, edges whose ends do not exist dropped (an end naming a
 * node's label is accepted), self-loops dropped. Never throws.
 */
export function parseDiagramSpecLeniently(input: unknown): { spec: DiagramSpec; problems: string[] } {
  const problems = new Problems()
  const spec: DiagramSpec = { nodes: [], edges: [] }
  try {
    let value = unwrapJson(input, problems)
    if (isObject(value) && isObject(value.spec)) value = value.spec
    if (!isObject(value)) {
      if (value !== undefined) problems.add(`the diagram is not an object (${preview(value)})`)
      return { spec, problems: problems.list() }
    }
    const title = asLabel(value.title, 'title', problems)
    if (title) spec.title = title.slice(0, DIAGRAM_LIMITS.titleChars)
    const direction = asEnum(value.direction, DIAGRAM_DIRECTIONS, DIRECTION_ALIASES, 'direction', problems)
    if (direction) spec.direction = direction

    const groups: DiagramGroup[] = []
    const groupIds = new Set<string>()
    const readGroups = items(value.groups, 'groups', DIAGRAM_LIMITS.groups, problems)
    for (const group of readDistinct(readGroups, 'group', readGroup, problems)) {
      // Parents must come first, which also rules out cycles.
      if (group.parent !== undefined && !groupIds.has(group.parent)) {
        problems.add(
          `group "${group.id}": parent group "${group.parent}" is not listed before it; made top-level`,
        )
        delete group.parent
      }
      groupIds.add(group.id)
      groups.push(group)
    }

    const byId = new Map<string, DiagramNode>()
    const readNodes = items(value.nodes, 'nodes', DIAGRAM_LIMITS.nodes, problems)
    for (const node of readDistinct(readNodes, 'node', readNode, problems)) {
      if (node.group !== undefined && !groupIds.has(node.group)) {
        problems.add(`node "${node.id}": group "${node.group}" does not exist; left out of any group`)
        delete node.group
      }
      byId.set(node.id, node)
      spec.nodes.push(node)
    }

    const byLabel = new Map<string, string | null>()
    for (const node of spec.nodes) {
      const key = node.label.trim().toLowerCase()
      byLabel.set(key, byLabel.has(key) ? null : node.id)
    }
    const resolve = (end: string) => (byId.has(end) ? end : (byLabel.get(end.toLowerCase()) ?? null))
    for (const [i, raw] of items(value.edges, 'edges', DIAGRAM_LIMITS.edges, problems).entries()) {
      const edge = readEdge(raw, `edge ${i + 1}`, problems)
      if (!edge) continue
      const from = resolve(edge.from)
      const to = resolve(edge.to)
      if (!from || !to) {
        const missing = [from ? null : edge.from, to ? null : edge.to].filter(Boolean).join('" and "')
        problems.add(`edge ${i + 1}: node "${missing}" does not exist; skipped`)
        continue
      }
      if (from === to) {
        problems.add(`edge ${i + 1}: "${from}" points to itself; skipped`)
        continue
      }
      spec.edges.push({ ...edge, from, to })
    }
    if (groups.length > 0) spec.groups = groups
  } catch (error) {
    problems.add(`the diagram could not be read: ${error instanceof Error ? error.message : String(error)}`)
  }
  return { spec, problems: problems.list() }
}
