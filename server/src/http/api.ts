/**
 * The REST API: rooms, links, health and metrics. Each route validates its input and answers
 * JSON. Must not touch: sockets, Yjs internals (room content comes from shared helpers).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { encodeSeededRoom } from '@drawbridge/shared'
import { z } from 'zod'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { hashSecret, newOwnerKey } from '../rooms/capabilities'
import { resolveLink } from '../rooms/links'
import type { Storage } from '../storage/storage'
import { HttpError, readBody, sendJson } from './json'

export interface ApiContext {
  storage: Storage
  metrics: Metrics
  log: Logger
  maxJsonBodyBytes: number
  /** Base of the links returned to clients, e.g. `http://localhost:8787`. */
  publicUrl: () => string
  /** Present when REDIS_URL is set: whether both Redis connections are up. */
  redisHealthy: (() => boolean) | undefined
  /** Updates received but not yet written (non-zero while the database is unreachable). */
  pendingWriteBytes: () => Promise<number>
}

const CreateRoomBody = z.object({ title: z.string().trim().max(200).optional() }).strict()

type Route = {
  method: string
  pattern: RegExp
  handle: (
    context: ApiContext,
    request: IncomingMessage,
    response: ServerResponse,
    params: string[],
  ) => Promise<void>
}

const routes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/api\/rooms$/,
    async handle(context, request, response) {
      const body = await readBody(request, CreateRoomBody, context.maxJsonBodyBytes)
      const title = body.title ?? ''
      const ownerKey = newOwnerKey()
      const room = await context.storage.createRoom({
        title,
        ownerKeyHash: hashSecret(ownerKey),
        initialState: encodeSeededRoom(title),
      })
      const link = (id: string) => ({ id, url: `${context.publicUrl()}/r/${id}` })
      context.log.info({ roomId: room.roomId }, 'room created')
      sendJson(response, 201, {
        roomId: room.roomId,
        ownerKey,
        links: { edit: link(room.editLinkId), view: link(room.viewLinkId) },
      })
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)$/,
    async handle(context, _request, response, [linkId]) {
      const resolution = await resolveLink(context.storage, decodeURIComponent(linkId ?? ''))
      if (resolution.status === 'not-found')
        throw new HttpError(404, 'This link does not exist or has been revoked.')
      if (resolution.status === 'expired') throw new HttpError(410, 'This link has expired.')
      const { grant } = resolution
      sendJson(response, 200, { roomId: grant.roomId, role: grant.role, title: grant.title })
    },
  },
  {
    method: 'GET',
    pattern: /^\/healthz$/,
    async handle(context, _request, response) {
      // Redis down degrades to single-instance behaviour: reported, but still healthy.
      const redis = context.redisHealthy ? { redis: context.redisHealthy() ? 'ok' : 'unreachable' } : {}
      const pendingWriteBytes = await context.pendingWriteBytes()
      try {
        await context.storage.ping()
        sendJson(response, 200, { ok: true, db: context.storage.kind, ...redis })
      } catch (error) {
        // Rooms stay live for connected clients; their writes wait and are retried.
        context.log.warn({ err: error }, 'health check: database unreachable')
        sendJson(response, 503, {
          ok: false,
          status: 'degraded',
          db: 'unreachable',
          pendingWriteBytes,
          ...redis,
        })
      }
    },
  },
  {
    method: 'GET',
    pattern: /^\/metrics$/,
    async handle(context, _request, response) {
      const text = await context.metrics.registry.metrics()
      response.writeHead(200, { 'content-type': context.metrics.registry.contentType })
      response.end(text)
    },
  },
]

/** Answers the request if it is an API route; returns false to let static files have it. */
export async function handleApiRequest(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
) {
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
    await route.handle(context, request, response, path.match(route.pattern)?.slice(1) ?? [])
  } catch (error) {
    if (error instanceof HttpError) {
      sendJson(response, error.status, { error: error.message }, error.headers)
    } else {
      context.log.error({ err: error, path }, 'request failed')
      sendJson(response, 500, { error: 'Internal error.' })
    }
  }
  return true
}
