/**
 * Operations: health (database, Redis, writes waiting) and Prometheus metrics — the latter only
 * with `METRICS_TOKEN` as a bearer token, or (no token configured) to loopback clients. The
 * health replies are shared protocol/health.ts.
 */
import type { IncomingMessage } from 'node:http'
import type { DegradedHealthReply, HealthReply } from '@drawbridge/shared'
import { hashSecret, secretMatches } from '../rooms/capabilities'
import type { ApiContext } from './context'
import { HttpError, sendJson } from './json'
import type { Route } from './router'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/** 401 without the configured token; 403 for a non-loopback client when none is configured. */
function requireMetricsAccess(context: ApiContext, request: IncomingMessage): void {
  if (context.metricsToken) {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (!presented || !secretMatches(presented, hashSecret(context.metricsToken)))
      throw new HttpError(401, 'Metrics need the METRICS_TOKEN bearer token.', {
        'www-authenticate': 'Bearer realm="metrics"',
      })
    return
  }
  // With TRUST_PROXY the forwarded client counts, so a local reverse proxy does not open it to all.
  if (!LOOPBACK.test(context.clientIp(request)))
    throw new HttpError(403, 'Metrics are served to loopback clients only unless METRICS_TOKEN is set.')
}

export const opsRoutes: Route<ApiContext>[] = [
  {
    method: 'GET',
    pattern: /^\/healthz$/,
    async handle(context, _request, response) {
      // Redis down degrades to single-instance behaviour: reported, but still healthy.
      const redis: Pick<HealthReply, 'redis'> = context.redisHealthy
        ? { redis: context.redisHealthy() ? 'ok' : 'unreachable' }
        : {}
      const pendingWriteBytes = await context.pendingWriteBytes()
      try {
        await context.database.ping()
        sendJson(response, 200, { ok: true, db: context.database.kind, ...redis } satisfies HealthReply)
      } catch (error) {
        // Rooms stay live for connected clients; their writes wait and are retried.
        context.log.warn({ err: error }, 'health check: database unreachable')
        sendJson(response, 503, {
          ok: false,
          status: 'degraded',
          db: 'unreachable',
          pendingWriteBytes,
          ...redis,
        } satisfies DegradedHealthReply)
      }
    },
  },
  {
    method: 'GET',
    pattern: /^\/metrics$/,
    async handle(context, request, response) {
      requireMetricsAccess(context, request)
      const text = await context.metrics.registry.metrics()
      response.writeHead(200, { 'content-type': context.metrics.registry.contentType })
      response.end(text)
    },
  },
]
