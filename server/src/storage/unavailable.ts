/**
 * Whether an error means "the database cannot be reached right now" (answered 503 + Retry-After,
 * not 500): a refused, reset or timed-out connection, postgres.js's own connection errors, or
 * Postgres saying it is starting, stopping or out of connections. Must not touch: SQL, HTTP.
 */

/** Node's socket errors and postgres.js's connection error codes. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
])

/** SQLSTATEs: class 08 (connection exception), admin/crash shutdown, cannot connect now, too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string') return false
  return CONNECTION_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)
}
