/**
 * Tiny runtime checks for JSON that comes from outside the client (API answers, socket events, the
 * shared doc's chat array): each parser returns the typed value or throws a `CheckError` naming the
 * path. zod is not a client dependency, so this stays deliberately small.
 * Owns: nothing but these parsers. Must not touch: the network, the doc, React.
 */

export class CheckError extends Error {}

export type Parser<T> = (value: unknown, path?: string) => T

const fail = (path: string, expected: string): never => {
  throw new CheckError(`${path || 'value'}: expected ${expected}`)
}

export const string =
  (options: { min?: number; max?: number } = {}): Parser<string> =>
  (value, path = '') => {
    if (typeof value !== 'string') return fail(path, 'a string')
    if (options.min !== undefined && value.length < options.min) return fail(path, `≥ ${options.min} chars`)
    if (options.max !== undefined && value.length > options.max) return fail(path, `≤ ${options.max} chars`)
    return value
  }

export const number: Parser<number> = (value, path = '') =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'a finite number')

export const boolean: Parser<boolean> = (value, path = '') =>
  typeof value === 'boolean' ? value : fail(path, 'true or false')

export const oneOf =
  <const T extends readonly string[]>(...values: T): Parser<T[number]> =>
  (value, path = '') =>
    typeof value === 'string' && values.includes(value) ? (value as T[number]) : fail(path, values.join('|'))

export const optional =
  <T>(parser: Parser<T>): Parser<T | undefined> =>
  (value, path) =>
    value === undefined ? undefined : parser(value, path)

/** Absent or null both read as undefined (servers differ in how they leave a field out). */
export const maybe =
  <T>(parser: Parser<T>): Parser<T | undefined> =>
  (value, path) =>
    value === undefined || value === null ? undefined : parser(value, path)

export const nullable =
  <T>(parser: Parser<T>): Parser<T | null> =>
  (value, path) =>
    value === null ? null : parser(value, path)

type Shape = Record<string, Parser<unknown>>
type Out<S extends Shape, K extends keyof S> = ReturnType<S[K]>
/** Keys whose parser may return undefined become optional properties. */
export type ObjectOf<S extends Shape> = {
  [K in keyof S as undefined extends Out<S, K> ? never : K]: Out<S, K>
} & { [K in keyof S as undefined extends Out<S, K> ? K : never]?: Out<S, K> } extends infer T
  ? { [K in keyof T]: T[K] }
  : never

export const object =
  <S extends Shape>(shape: S): Parser<ObjectOf<S>> =>
  (value, path = '') => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'an object')
    const source = value as Record<string, unknown>
    const result: Record<string, unknown> = {}
    for (const [key, parser] of Object.entries(shape)) {
      const parsed = parser(source[key], path ? `${path}.${key}` : key)
      if (parsed !== undefined) result[key] = parsed
    }
    return result as ObjectOf<S>
  }

/** The parsed value, or undefined when it does not fit (for data one may skip, like a bad chat item). */
export function tryParse<T>(parser: Parser<T>, value: unknown): T | undefined {
  try {
    return parser(value)
  } catch (error) {
    if (error instanceof CheckError) return undefined
    throw error
  }
}
