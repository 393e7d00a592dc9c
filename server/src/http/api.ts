/**
 * The REST API: what every route may use (ApiContext) and the route table. Routes live with their
 * concern: rooms and links, versions, operations. Must not touch: sockets' frames.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AiService } from '../ai/aiService'
import type { Assets } from '../assets/assets'
import { identify } from '../auth/requestUser'
import type { AuthUser, TokenVerifier } from '../auth/tokens'
import type { Limits } from '../limits/limits'
import type { Logger } from '../logger'
import type { McpEndpoint } from '../mcp/mcpEndpoint'
import { mcpRoutes } from '../mcp/mcpRoutes'
import type { Metrics } from '../metrics'
import type { AccessChange } from '../rooms/accessChanges'
import { secretMatches } from '../rooms/capabilities'
import { decideLinkAccess } from '../rooms/linkAccess'
import type { LinkGrant, Role, RoomInfo, Storage } from '../storage/storage'
import type { RoomRegistry } from '../sync/roomRegistry'
import { accountRoutes } from './accountRoutes'
import { aiRoutes } from './aiRoutes'
import { assetRoutes } from './assetRoutes'
import { drawioRoutes } from './drawioRoutes'
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
  maxImportBytes: number
  /** Base of the links returned to clients, e.g. `http://localhost:8787`. */
  publicUrl: () => string
  /** Present when REDIS_URL is set: whether both Redis connections are up. */
  redisHealthy: (() => boolean) | undefined
  /** Updates received but not yet written (non-zero while the database is unreachable). */
  pendingWriteBytes: () => Promise<number>
  limits: Limits
  verifier: TokenVerifier | undefined
  /** Supabase settings the client needs to offer sign-in (public values only). */
  publicAuth: { supabaseUrl: string; supabaseAnonKey: string } | null
  /** tldraw licence key handed to the client at run time (TLDRAW_LICENSE_KEY), or null. */
  tldrawLicenseKey: string | null
  clientIp: (request: IncomingMessage) => string
  /** Applies an access change to live connections here and announces it to other instances. */
  announce: (change: AccessChange) => void
  /** Images and videos on boards: checks, quota, the blob store. */
  assets: Assets
  /** The co-pilot: queue, usage, undo. */
  ai: AiService
  /** Largest co-pilot request body (prompt plus an attached text file). */
  maxAiBodyBytes: number
  /** The Model Context Protocol endpoint (`/mcp`). */
  mcp: McpEndpoint
  /** Total bytes of one room's named versions. */
  versionQuotaBytes: number
  /** Set → `/metrics` needs it as a bearer token; unset → loopback clients only. */
  metricsToken: string | undefined
}

/** The signed-in user of a request (null when anonymous); 401 for a token that does not verify. */
export async function requestUser(context: ApiContext, request: IncomingMessage): Promise<AuthUser | null> {
  const identity = await identify(request, context.verifier)
  if (!identity.ok) throw new HttpError(401, `Sign-in failed: ${identity.reason}`)
  return identity.user
}

/**
 * Resolves a link for an HTTP request: 404 unknown/revoked, 410 expired, 401/403 for a private
 * room's non-members, 403 when `needed` is editor and the effective role is viewer.
 */
export async function requireLink(
  context: ApiContext,
  request: IncomingMessage,
  linkId: string,
  needed?: Role,
): Promise<LinkGrant & { effectiveRole: Role; user: AuthUser | null }> {
  const user = await requestUser(context, request)
  const access = await decideLinkAccess(context.storage, linkId, user)
  if (!access.ok) throw new HttpError(access.status, access.reason)
  if (needed === 'editor' && access.role !== 'editor') throw new HttpError(403, 'This link is view-only.')
  return { ...access.grant, effectiveRole: access.role, user }
}

/** Path parameters that name rows by uuid are checked before they reach SQL (a bad one is a 404). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
}

/** The room, if the request comes from its owner: the owner key (`X-Owner-Key`) or the signed-in owner. */
export async function requireOwner(
  context: ApiContext,
  request: IncomingMessage,
  roomId: string,
): Promise<RoomInfo> {
  const user = await requestUser(context, request)
  const key = request.headers['x-owner-key']
  const room = isUuid(roomId) ? await context.storage.getRoom(roomId) : undefined
  const byKey = typeof key === 'string' && room !== undefined && secretMatches(key, room.ownerKeyHash)
  const byAccount = user !== null && room?.ownerId === user.id
  // The same answer for "no such room" and "not yours": neither tells a guesser anything.
  if (!room || !(byKey || byAccount)) throw new HttpError(403, 'Only the owner of this board can do that.')
  return room
}

const routes = [
  ...roomRoutes,
  ...ownerRoutes,
  ...accountRoutes,
  ...versionRoutes,
  ...drawioRoutes,
  ...assetRoutes,
  ...aiRoutes,
  ...opsRoutes,
  ...mcpRoutes,
]

export function handleApiRequest(context: ApiContext, request: IncomingMessage, response: ServerResponse) {
  return dispatch(routes, context, request, response)
}
