/**
 * How a zod schema reads the environment: a field says which variable it reads (`variable`), or
 * that it reads the whole environment (`wholeEnvironment`); objects group fields. From that one
 * statement come the schema's input (`inputFrom`), the list of variables with their formats and
 * defaults (`variablesOf`) and the variable a validation issue is about. Owns: this mapping only.
 * Must not touch: what the variables mean (config.ts).
 */
import { z } from 'zod'

/** The process environment, as `process.env` is. */
export type Environment = Record<string, string | undefined>

type Source = { variable: string } | { environment: true }

/** Which variable (or the whole environment) a field reads. */
const sources = z.registry<Source>()

/** A field read from the variable `name`, with the format and default `type` gives it. */
export function variable<T extends z.ZodType>(name: string, type: T): T {
  sources.add(type, { variable: name })
  return type
}

/** A field that receives the whole environment (for settings that name further variables). */
export function wholeEnvironment(): z.ZodCustom<Environment, Environment> {
  const field = z.custom<Environment>()
  sources.add(field, { environment: true })
  return field
}

/** Where a field reads from; a field shaped by `.transform` reads what its input reads. */
function sourceOf(field: z.ZodType): Source | undefined {
  const own = sources.get(field)
  if (own) return own
  return field instanceof z.ZodPipe ? sourceOf(field.in as z.ZodType) : undefined
}

/** The object a field groups, if it is one (or one shaped by `.transform`). */
function objectOf(field: z.ZodType): z.ZodObject | undefined {
  if (field instanceof z.ZodObject) return field
  return field instanceof z.ZodPipe ? objectOf(field.in as z.ZodType) : undefined
}

/** The schema's input: each field's variable from `env`, objects as objects. */
export function inputFrom(schema: z.ZodType, env: Environment): unknown {
  const source = sourceOf(schema)
  if (source) return 'variable' in source ? env[source.variable] : env
  const object = objectOf(schema)
  if (!object) return undefined
  return Object.fromEntries(Object.entries(object.shape).map(([key, field]) => [key, inputFrom(field, env)]))
}

export interface EnvVariable {
  name: string
  /** Its format and default, before any shaping (`.transform`) of the field. */
  type: z.ZodType
  /** Where the schema's output holds it, e.g. `['http', 'port']`. */
  path: string[]
}

/** Every variable the schema reads, in the order it names them. */
export function variablesOf(schema: z.ZodType, path: string[] = []): EnvVariable[] {
  const source = sourceOf(schema)
  if (source && 'variable' in source) return [{ name: source.variable, type: rawType(schema), path }]
  const object = objectOf(schema)
  if (!object) return []
  return Object.entries(object.shape).flatMap(([key, field]) => variablesOf(field, [...path, key]))
}

/** The registered type itself: a field's `.transform` shapes its output, not the variable. */
function rawType(field: z.ZodType): z.ZodType {
  if (sources.get(field)) return field
  return field instanceof z.ZodPipe ? rawType(field.in as z.ZodType) : field
}
