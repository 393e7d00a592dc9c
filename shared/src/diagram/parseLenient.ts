/**
 * Reading untrusted plans (model output, uploads) into the diagram model part by part: every
 * node, edge, group and operation is checked on its own, so valid parts survive and invalid ones
 * become problems in words. Never throws, whatever the input. Owns: coercion, aliases, dedupe.
 * Must not touch: tldraw records, layout, I/O.
 */
import type { z } from 'zod'
import {
  DIAGRAM_COLORS,
  DIAGRAM_DASHES,
  DIAGRAM_DIRECTIONS,
  DIAGRAM_FILLS,
  DIAGRAM_LIMITS,
  type DiagramEdge,
  DiagramEdgeSchema,
  type DiagramGroup,
  DiagramGroupSchema,
  type DiagramNode,
  DiagramNodeSchema,
  type DiagramSpec,
  type EditOperation,
  EditOperationSchema,
  NODE_SHAPES,
} from './spec'

/** At most this many problems are listed; the rest are counted. */
export const MAX_PROBLEMS = 50

const SHAPE_ALIASES: Readonly<Record<string, (typeof NODE_SHAPES)[number]>> = {
  rect: 'rectangle',
  box: 'rectangle',
  square: 'rectangle',
  process: 'rectangle',
  database: 'rectangle',
  cylinder: 'rectangle',
  circle: 'ellipse',
  round: 'oval',
  stadium: 'oval',
  pill: 'oval',
  rhombus: 'diamond',
  decision: 'diamond',
  sticky: 'note',
  'sticky-note': 'note',
  label: 'text',
}
const COLOR_ALIASES: Readonly<Record<string, (typeof DIAGRAM_COLORS)[number]>> = {
  gray: 'grey',
  purple: 'violet',
  'light-purple': 'light-violet',
  pink: 'light-red',
  cyan: 'light-blue',
  teal: 'light-green',
  brown: 'orange',
  'light-gray': 'grey',
  'light-grey': 'grey',
}
const FILL_ALIASES: Readonly<Record<string, (typeof DIAGRAM_FILLS)[number]>> = {
  transparent: 'none',
  empty: 'none',
  filled: 'solid',
  full: 'solid',
  light: 'semi',
  hatched: 'pattern',
}
const DASH_ALIASES: Readonly<Record<string, (typeof DIAGRAM_DASHES)[number]>> = {
  dash: 'dashed',
  dot: 'dotted',
  line: 'solid',
  hand: 'draw',
  sketch: 'draw',
}
const DIRECTION_ALIASES: Readonly<Record<string, (typeof DIAGRAM_DIRECTIONS)[number]>> = {
  lr: 'right',
  'left-to-right': 'right',
  rl: 'left',
  'right-to-left': 'left',
  td: 'down',
  tb: 'down',
  'top-down': 'down',
  'top-to-bottom': 'down',
  bt: 'up',
  'bottom-to-top': 'up',
}
const OP_ALIASES: Readonly<Record<string, EditOperation['op']>> = {
  create: 'add',
  insert: 'add',
  rename: 'update',
  relabel: 'update',
  edit: 'update',
  style: 'restyle',
  recolor: 'restyle',
  remove: 'delete',
  link: 'connect',
  unlink: 'disconnect',
  translate: 'move',
}

/** Collects problems, listing the first MAX_PROBLEMS and counting the rest. */
export class Problems {
  private readonly listed: string[] = []
  private extra = 0
  add(problem: string): void {
    if (this.listed.length < MAX_PROBLEMS) this.listed.push(problem)
    else this.extra++
  }
  list(): string[] {
    return this.extra > 0 ? [...this.listed, `…and ${this.extra} more problems`] : [...this.listed]
  }
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A short, safe rendering of any value for a problem message. */
export function preview(value: unknown): string {
  try {
    const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
    return text.length > 60 ? `${text.slice(0, 57)}…` : text
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** A JSON string is parsed; anything else is returned as it is. */
function unwrapJson(input: unknown, problems: Problems): unknown {
  if (typeof input !== 'string') return input
  try {
    return JSON.parse(input)
  } catch {
    problems.add(`the plan is not valid JSON (${preview(input)})`)
    return undefined
  }
}

function pick(object: Json, ...keys: string[]): unknown {
  for (const key of keys) if (object[key] !== undefined && object[key] !== null) return object[key]
  return undefined
}

function asId(value: unknown): string | null {
  let text: string
  if (typeof value === 'string') text = value.trim()
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value)
  else return null
  return text.length > 0 && text.length <= DIAGRAM_LIMITS.idChars ? text : null
}

function asLabel(value: unknown, where: string, problems: Problems): string | null {
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value)
  else return null
  if (text.length > DIAGRAM_LIMITS.labelChars) {
    problems.add(`${where}: label cut to ${DIAGRAM_LIMITS.labelChars} characters`)
    text = text.slice(0, DIAGRAM_LIMITS.labelChars)
  }
  return text
}

function asEnum<T extends string>(
  value: unknown,
  values: readonly T[],
  aliases: Readonly<Record<string, T>>,
  where: string,
  problems: Problems,
): T | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') {
    const key = value
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
    if ((values as readonly string[]).includes(key)) return key as T
    if (Object.hasOwn(aliases, key)) return aliases[key]
  }
  problems.add(`${where}: ${preview(value)} is not one of ${values.join(', ')}; ignored`)
  return undefined
}

function asBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  return undefined
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}

function checked<S extends z.ZodType>(schema: S, value: unknown, where: string, problems: Problems) {
  const result = schema.safeParse(value)
  if (result.success) return result.data as z.infer<S>
  const issue = result.error.issues[0]
  problems.add(`${where}: ${issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'invalid'}`)
  return null
}

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
  const shape = asEnum(
    pick(value, 'shape', 'geo', 'type'),
    NODE_SHAPES,
    SHAPE_ALIASES,
    `${where} shape`,
    problems,
  )
  const color = asEnum(
    pick(value, 'color', 'colour'),
    DIAGRAM_COLORS,
    COLOR_ALIASES,
    `${where} color`,
    problems,
  )
  const fill = asEnum(value.fill, DIAGRAM_FILLS, FILL_ALIASES, `${where} fill`, problems)
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

/** Reads at most `limit` items of an array field, reporting a non-array and what was cut. */
function items(value: unknown, name: string, limit: number, problems: Problems): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    problems.add(`"${name}" is not a list (${preview(value)})`)
    return []
  }
  if (value.length > limit) {
    problems.add(`${value.length - limit} ${name} beyond the limit of ${limit} were dropped`)
    return value.slice(0, limit)
  }
  return value
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
    for (const [i, raw] of items(value.groups, 'groups', DIAGRAM_LIMITS.groups, problems).entries()) {
      const group = readGroup(raw, `group ${i + 1}`, problems)
      if (!group) continue
      if (groupIds.has(group.id)) {
        problems.add(`group ${i + 1}: id "${group.id}" is used twice; skipped`)
        continue
      }
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
    for (const [i, raw] of items(value.nodes, 'nodes', DIAGRAM_LIMITS.nodes, problems).entries()) {
      const node = readNode(raw, `node ${i + 1}`, problems)
      if (!node) continue
      if (byId.has(node.id)) {
        problems.add(`node ${i + 1}: id "${node.id}" is used twice; skipped`)
        continue
      }
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

function readOperation(
  value: unknown,
  where: string,
  problems: Problems,
  added: Set<string>,
): EditOperation | null {
  if (!isObject(value)) {
    problems.add(`${where} is not an object (${preview(value)})`)
    return null
  }
  const rawOp = typeof value.op === 'string' ? value.op : typeof value.type === 'string' ? value.type : ''
  const name = rawOp.trim().toLowerCase()
  const op = OP_ALIASES[name] ?? name
  const id = asId(pick(value, 'id', 'shape', 'target'))
  switch (op) {
    case 'add': {
      const node = readNode(pick(value, 'node') ?? value, `${where} (add)`, problems)
      if (!node) return null
      if (added.has(node.id)) {
        problems.add(`${where} (add): id "${node.id}" was already added in this batch; skipped`)
        return null
      }
      added.add(node.id)
      const near = value.near === undefined || value.near === null ? null : asId(value.near)
      return checked(EditOperationSchema, { op, node, ...(near ? { near } : {}) }, where, problems)
    }
    case 'update': {
      const label = asLabel(pick(value, 'label', 'text'), where, problems)
      if (label === null) {
        problems.add(`${where} (update) needs a label`)
        return null
      }
      return checked(EditOperationSchema, { op, id, label }, `${where} (update)`, problems)
    }
    case 'restyle': {
      const color = asEnum(
        pick(value, 'color', 'colour'),
        DIAGRAM_COLORS,
        COLOR_ALIASES,
        `${where} color`,
        problems,
      )
      const fill = asEnum(value.fill, DIAGRAM_FILLS, FILL_ALIASES, `${where} fill`, problems)
      const dash = asEnum(value.dash, DIAGRAM_DASHES, DASH_ALIASES, `${where} dash`, problems)
      const shape = asEnum(
        pick(value, 'shape', 'geo'),
        NODE_SHAPES,
        SHAPE_ALIASES,
        `${where} shape`,
        problems,
      )
      if (!color && !fill && !dash && !shape) {
        problems.add(`${where} (restyle) changes nothing`)
        return null
      }
      const style = { color, fill, dash, shape }
      const defined = Object.fromEntries(Object.entries(style).filter(([, v]) => v !== undefined))
      return checked(EditOperationSchema, { op, id, ...defined }, `${where} (restyle)`, problems)
    }
    case 'delete':
      return checked(EditOperationSchema, { op, id }, `${where} (delete)`, problems)
    case 'connect':
    case 'disconnect': {
      const from = asId(pick(value, 'from', 'source'))
      const to = asId(pick(value, 'to', 'target'))
      const extra: Json = {}
      if (op === 'connect') {
        const label = asLabel(value.label, where, problems)
        if (label) extra.label = label
        const dash = asEnum(value.dash, DIAGRAM_DASHES, DASH_ALIASES, `${where} dash`, problems)
        if (dash) extra.dash = dash
        if (asBoolean(value.bidirectional)) extra.bidirectional = true
      }
      if (from && from === to) {
        problems.add(`${where} (${op}): "${from}" cannot connect to itself`)
        return null
      }
      return checked(EditOperationSchema, { op, from, to, ...extra }, `${where} (${op})`, problems)
    }
    case 'move':
      return checked(
        EditOperationSchema,
        { op, id, dx: asNumber(value.dx) ?? 0, dy: asNumber(value.dy) ?? 0 },
        `${where} (move)`,
        problems,
      )
    default:
      problems.add(`${where}: unknown operation ${preview(rawOp || value)}`)
      return null
  }
}

/**
 * Edit operations from any value (a list, `{ operations }`, JSON text, garbage): each one checked
 * on its own; an `add` whose node id repeats an earlier add of the batch is dropped. Whether ids
 * exist on the board is checked later, by `applyEditOperations`. Never throws.
 */
export function parseEditOperationsLeniently(input: unknown): {
  operations: EditOperation[]
  problems: string[]
} {
  const problems = new Problems()
  const operations: EditOperation[] = []
  try {
    let value = unwrapJson(input, problems)
    if (isObject(value)) value = pick(value, 'operations', 'ops', 'edits') ?? [value]
    if (!Array.isArray(value)) {
      if (value !== undefined) problems.add(`the operations are not a list (${preview(value)})`)
      return { operations, problems: problems.list() }
    }
    const added = new Set<string>()
    items(value, 'operations', DIAGRAM_LIMITS.operations, problems).forEach((raw, i) => {
      const operation = readOperation(raw, `operation ${i + 1}`, problems, added)
      if (operation) operations.push(operation)
    })
  } catch (error) {
    problems.add(
      `the operations could not be read: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  return { operations, problems: problems.list() }
}
