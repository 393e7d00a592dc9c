/**
 * Guards the REST routes call before they act: who is asking (`requestUser`), what they may do
 * through a link (`requireLink`, which asks `rooms/linkAccess` like the socket does), whether they
 * own a room (`requireOwner`), and a uuid check for path parameters. Each throws an HttpError.
 * Must not touch: the route table, response bodies.
 */
import type { IncomingMessage } from 'node:http'
import { OWNER_KEY_HEADER } from '@drawbridge/shared'
import { identify } from '../auth/requestUser'
import type { AuthUser } from '../auth/tokens'
import { secretMatches } from '../rooms/capabilities'
import { decideLinkAccess } from '../rooms/linkAccess'
import type { LinkGrant, Role, RoomInfo } from '../storage/storage'
import type { ApiContext } from './context'
import { HttpError } from './json'

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
  const access = await decideLinkAccess(context.rooms, linkId, user)
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
  const key = request.headers[OWNER_KEY_HEADER]
  const room = isUuid(roomId) ? await context.rooms.getRoom(roomId) : undefined
  const byKey = typeof key === 'string' && room !== undefined && secretMatches(key, room.ownerKeyHash)
  const byAccount = user !== null && room?.ownerId === user.id
  // The same answer for "no such room" and "not yours": neither tells a guesser anything.
  if (!room || !(byKey || byAccount)) throw new HttpError(403, 'Only the owner of this board can do that.')
  return room
}
