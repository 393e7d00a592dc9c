/** Operations: health (database, Redis, writes waiting) and Prometheus metrics. */
import type { ApiContext } from './api'
import { sendJson } from './json'
import type { Route } from './router'

export const opsRoutes: Route<ApiContext>[] = [
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
