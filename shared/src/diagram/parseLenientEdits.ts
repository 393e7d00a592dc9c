/**
 * Reading untrusted edit operations (the co-pilot's edits of an existing drawing) part by part:
 * each operation is checked on its own, so valid ones survive and invalid ones become problems in
 * words. Never throws. Must not touch: whether ids exist on the board (applyEditOperations checks),
 * records, I/O.
 */
import {
  asBoolean,
  asEnum,
  asId,
  asLabel,
  asNumber,
  checked,
  DASH_ALIASES,
  isObject,
  items,
  type Json,
  Problems,
  pick,
  preview,
  readStyleFields,
  unwrapJson,
} from './lenientValues'
import { readNode } from './parseLenient'
import { DIAGRAM_DASHES, DIAGRAM_LIMITS, type EditOperation, EditOperationSchema } from './spec'

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
      const { color, fill, dash, shape } = readStyleFields(value, where, problems, ['shape', 'geo'])
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
