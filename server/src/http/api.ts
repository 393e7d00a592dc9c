/**
 * The REST API: what every route may use (ApiContext) and the route table. Routes live with their
 * concern: rooms and links, versions, operations. Must not touch: sockets' frames.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Limits } from '../limits/limits'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { AccessChange } from '../rooms/accessChanges'
import { resolveLink } from '../rooms/links'
import type { LinkGrant, Role, Storage } from '../storage/storage'
import type { RoomRegistry } from '../sync/roomRegistry'
import { HttpError } from './json'
import { opsRoutes } from './opsRoutes'
import { ownerRoutes } from './ownerRoutes'
import { roomRoutes } from './roomRoutes'
import { dispatch } from './router'
import { versionRoutes } from './versionRoutes'

export interface ApiContext {
  storage: Storage
  registry: RoomRegistry
  metrics: Metrics
  log: Logger
  maxJsonBodyBytes: number
  /** Base of the links returned to clients, e.g. `http://localhost:8787`. */
  publicUrl: () => string
  /** Present when REDIS_URL is set: whether both Redis connections are up. */
  redisHealthy: (() => boolean) | undefined
  /** Updates received but not yet written (non-zero while the database is unreachable). */
  pendingWriteBytes: () => Promise<number>
  limits: Limits
  clientIp: (request: IncomingMessage) => string
  /** Applies an access change to live connections here and announces it to other instances. */
  announce: (change: AccessChange) => void
}

/** Resolves a link for an HTTP request: 404 unknown/revoked, 410 expired, 403 below `role`. */
export async function requireLink(context: ApiContext, linkId: string, role?: Role): Promise<LinkGrant> {
  const resolution = await resolveLink(context.storage, linkId)
  if (resolution.status === 'not-found')
    throw new HttpError(404, 'This link does not exist or has been revoked.')
  if (resolution.status === 'expired') throw new HttpError(410, 'This link has expired.')
  if (role === 'editor' && resolution.grant.role !== 'editor')
    throw new HttpError(403, 'This link is view-only.')
  return resolution.grant
}

const routes = [...roomRoutes, ...ownerRoutes, ...versionRoutes, ...opsRoutes]

export function handleApiRequest(context: ApiContext, request: IncomingMessage, response: ServerResponse) {
  return dispatch(routes, context, request, response)
}
