/**
 * Resolving a link id to the room and role it grants. Owns the rules for unknown, revoked and
 * expired links. Must not touch: sockets, HTTP responses.
 */
import type { LinkGrant, RoomDirectory } from '../storage/storage'
import { looksLikeLinkId } from './capabilities'

export type LinkResolution =
  | { status: 'ok'; grant: LinkGrant }
  | { status: 'not-found' }
  | { status: 'expired'; grant: LinkGrant }

export async function resolveLink(
  rooms: Pick<RoomDirectory, 'findLink'>,
  linkId: string,
  now = new Date(),
): Promise<LinkResolution> {
  if (!looksLikeLinkId(linkId)) return { status: 'not-found' }
  const grant = await rooms.findLink(linkId)
  if (!grant || grant.revokedAt) return { status: 'not-found' }
  if (grant.expiresAt && grant.expiresAt <= now) return { status: 'expired', grant }
  return { status: 'ok', grant }
}
