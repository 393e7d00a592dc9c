/**
 * What a request may do in a room, from its link and its user: a public room's link grants its
 * role to anyone holding it; a private room's links admit only its owner and members, and a
 * viewer member stays a viewer whatever the link says. Must not touch: sockets, HTTP responses.
 */
import type { AuthUser } from '../auth/tokens'
import type { LinkGrant, Role, RoomDirectory } from '../storage/storage'

export type AccessDecision = { ok: true; role: Role } | { ok: false; status: 401 | 403; reason: string }

export async function decideAccess(
  rooms: Pick<RoomDirectory, 'memberRole'>,
  grant: LinkGrant,
  user: AuthUser | null,
): Promise<AccessDecision> {
  // The agent's link was issued for a request that was authorised when it was queued.
  if (grant.purpose === 'agent') return { ok: true, role: grant.role }
  if (!grant.isPrivate) return { ok: true, role: grant.role }
  if (!user) return { ok: false, status: 401, reason: 'This board is private: sign in to open it.' }
  const member = await rooms.memberRole(grant.roomId, user)
  if (!member) return { ok: false, status: 403, reason: 'This board is private and you are not a member.' }
  return { ok: true, role: member === 'viewer' ? 'viewer' : grant.role }
}
