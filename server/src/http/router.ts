/** A small route table over node:http: match by method and path pattern, JSON errors. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from '../logger'
import { HttpError, sendJson } from './json'

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
    sendJson(response, 404, { error: 'No such API route.' })
    return true
  }
  const route = matching.find((candidate) => candidate.method === request.method)
  if (!route) {
    sendJson(
      response,
      405,
      { error: 'Method not allowed.' },
      { allow: matching.map((r) => r.method).join(', ') },
    )
    return true
  }
  try {
    const params = (path.match(route.pattern)?.slice(1) ?? []).map((param) => decodeURIComponent(param))
    await route.handle(context, request, response, params)
  } catch (error) {
    if (error instanceof HttpError) {
      sendJson(response, error.status, { error: error.message }, error.headers)
    } else {
      context.log.error({ err: error, path }, 'request failed')
      if (!response.headersSent) sendJson(response, 500, { error: 'Internal error.' })
    }
  }
  return true
}
