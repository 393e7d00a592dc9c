/**
 * The pieces every lenient reader of untrusted plans shares: problems in words (the first
 * MAX_PROBLEMS listed), coercion of ids, labels, enums with aliases, numbers and lists, and the
 * style fields of a node. Never throws. Must not touch: diagram assembly, edit semantics, records.
 */
import type { z } from 'zod'
import {
  DIAGRAM_COLORS,
  DIAGRAM_DASHES,
  type DIAGRAM_DIRECTIONS,
  DIAGRAM_FILLS,
  DIAGRAM_LIMITS,
  NODE_SHAPES,
} from './spec'

/** At most this many problems are listed; the rest are counted. */
export const MAX_PROBLEMS = 50

export const SHAPE_ALIASES: Readonly<Record<string, (typeof NODE_SHAPES)[number]>> = {
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
export const COLOR_ALIASES: Readonly<Record<string, (typeof DIAGRAM_COLORS)[number]>> = {
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
export const FILL_ALIASES: Readonly<Record<string, (typeof DIAGRAM_FILLS)[number]>> = {
  transparent: 'none',
  empty: 'none',
  filled: 'solid',
  full: 'solid',
  light: 'semi',
  hatched: 'pattern',
}
export const DASH_ALIASES: Readonly<Record<string, (typeof DIAGRAM_DASHES)[number]>> = {
  dash: 'dashed',
  dot: 'dotted',
  line: 'solid',
  hand: 'draw',
  sketch: 'draw',
}
export const DIRECTION_ALIASES: Readonly<Record<string, (typeof DIAGRAM_DIRECTIONS)[number]>> = {
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

export type Json = Record<string, unknown>

export function isObject(value: unknown): value is Json {
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
export function unwrapJson(input: unknown, problems: Problems): unknown {
  if (typeof input !== 'string') return input
  try {
    return JSON.parse(input)
  } catch {
    problems.add(`the plan is not valid JSON (${preview(input)})`)
    return undefined
  }
}

export function pick(object: Json, ...keys: string[]): unknown {
  for (const key of keys) if (object[key] !== undefined && object[key] !== null) return object[key]
  return undefined
}

export function asId(value: unknown): string | null {
  let text: string
  if (typeof value === 'string') text = value.trim()
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value)
  else return null
  return text.length > 0 && text.length <= DIAGRAM_LIMITS.idChars ? text : null
}

export function asLabel(value: unknown, where: string, problems: Problems): string | null {
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

export function asEnum<T extends string>(
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

export function asBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  return undefined
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return null
}

export function checked<S extends z.ZodType>(schema: S, value: unknown, where: string, problems: Problems) {
  const result = schema.safeParse(value)
  if (result.success) return result.data as z.infer<S>
  const issue = result.error.issues[0]
  problems.add(`${where}: ${issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'invalid'}`)
  return null
}

/** Reads at most `limit` items of an array field, reporting a non-array and what was cut. */
export function items(value: unknown, name: string, limit: number, problems: Problems): unknown[] {
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

/** Every item `read` accepts, in order; a later item reusing an earlier one's id is reported and skipped. */
export function readDistinct<T extends { id: string }>(
  list: unknown[],
  kind: string,
  read: (raw: unknown, where: string, problems: Problems) => T | null,
  problems: Problems,
): T[] {
  const seen = new Set<string>()
  const out: T[] = []
  for (const [i, raw] of list.entries()) {
    const item = read(raw, `${kind} ${i + 1}`, problems)
    if (!item) continue
    if (seen.has(item.id)) {
      problems.add(`${kind} ${i + 1}: id "${item.id}" is used twice; skipped`)
      continue
    }
    seen.add(item.id)
    out.push(item)
  }
  return out
}

/** The style fields a node or a restyle may carry, each read on its own (unknown values reported). */
export function readStyleFields(
  value: Json,
  where: string,
  problems: Problems,
  shapeKeys: readonly string[],
) {
  return {
    shape: asEnum(pick(value, ...shapeKeys), NODE_SHAPES, SHAPE_ALIASES, `${where} shape`, problems),
    color: asEnum(pick(value, 'color', 'colour'), DIAGRAM_COLORS, COLOR_ALIASES, `${where} color`, problems),
    fill: asEnum(value.fill, DIAGRAM_FILLS, FILL_ALIASES, `${where} fill`, problems),
    dash: asEnum(value.dash, DIAGRAM_DASHES, DASH_ALIASES, `${where} dash`, problems),
  }
}
