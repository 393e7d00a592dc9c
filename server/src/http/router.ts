/**
 * A small route table over node:http: match by method and path pattern, JSON errors the client can
 * read in the one shared error shape (`ApiError`; the rest of a refused body is drained first; an
 * unreachable database is 503, not 500).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiError } from '@drawbridge/shared'
import type { Logger } from '../logger'
import { isDatabaseUnavailable } from '../storage/unavailable'
import { drainBody, HttpError, sendJson } from './json'

export interface Route<Context> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  pattern: RegExp
  handle: (
    context: Context,
    request: IncomingMessage,
    response: ServerResponse,
    params: string[],
  ) => Promise<void>
}

/** Answers the request if a route matches its path; returns false to let static files have it. */
export async function dispatch<Context extends { log: Logger }>(
  routes: Route<Context>[],
  context: Context,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://x').pathname
  const matching = routes.filter((route) => route.pattern.test(path))
  if (matching.length === 0) {
    if (!path.startsWith('/api/')) return false
    await answerError(request, response, 404, { error: 'No such API route.' })
    return true
  }
  const route = matching.find((candidate) => candidate.method === request.method)
  if (!route) {
    await answerError(
      request,
      response,
      405,
      { error: 'Method not allowed.' },
      { allow: matching.map((r) => r.method).join(', ') },
    )
    return true
  }
  let params: string[]
  try {
    params = (path.match(route.pattern)?.slice(1) ?? []).map((param) => decodeURIComponent(param))
  } catch {
    await answerError(request, response, 400, { error: 'The request path has a malformed %-escape.' })
    return true
  }
  try {
    await route.handle(context, request, response, params)
  } catch (error) {
    if (error instanceof HttpError) {
      await answerError(request, response, error.status, { error: error.message }, error.headers)
    } else if (isDatabaseUnavailable(error)) {
      context.log.warn({ err: error, path }, 'request failed: the database is unreachable')
      await answerError(
        request,
        response,
        503,
        { error: 'The database is unreachable; try again shortly.' },
        { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
      )
    } else {
      context.log.error({ err: error, path }, 'request failed')
      await answerError(request, response, 500, { error: 'Internal error.' })
    }
  }
  return true
}

/** Seconds a client is asked to wait (Retry-After) when the database cannot be reached. */
const DATABASE_RETRY_AFTER_SECONDS = 5

/**
 * An error answer the client can read: what is left of the request's body is drained first (see
 * `drainBody`); a body too large to drain gets the answer with `Connection: close`.
 */
async function answerError(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: ApiError,
  headers: Record<string, string> = {},
): Promise<void> {
  const drained = await drainBody(request)
  if (response.headersSent || response.destroyed) return
  sendJson(response, status, body, drained ? headers : { ...headers, connection: 'close' })
}
