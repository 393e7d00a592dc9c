/**
 * What a connection or request may do through a link: the link resolved (unknown, revoked,
 * expired) and the role decided from the link and the person behind it (`decideAccess`). The one
 * decision the WebSocket upgrade, the HTTP API and the re-check of open sockets all use.
 * Must not touch: sockets, HTTP responses.
 */
import { CloseCode } from '@drawbridge/shared'
import type { AuthUser } from '../auth/tokens'
import type { LinkGrant, LinkLookup, Role } from '../storage/storage'
import { decideAccess } from './access'
import { resolveLink } from './links'

export type LinkAccess =
  | { ok: true; grant: LinkGrant; role: Role }
  | { ok: false; status: 401 | 403 | 404 | 410; reason: string }

export async function decideLinkAccess(
  rooms: LinkLookup,
  linkId: string,
  user: AuthUser | null,
  now = new Date(),
): Promise<LinkAccess> {
  const resolution = await resolveLink(rooms, linkId, now)
  if (resolution.status === 'not-found') {
    return { ok: false, status: 404, reason: 'This link does not exist or has been revoked.' }
  }
  if (resolution.status === 'expired') return { ok: false, status: 410, reason: 'This link has expired.' }
  const access = await decideAccess(rooms, resolution.grant, user)
  if (!access.ok) return access
  return { ok: true, grant: resolution.grant, role: access.role }
}

/** The close code an open socket gets when a re-check withdraws its access. */
export function closeCodeForRefusal(status: 401 | 403 | 404 | 410): CloseCode {
  switch (status) {
    case 401:
      return CloseCode.Unauthorized
    case 403:
      return CloseCode.Forbidden
    case 404:
      return CloseCode.LinkNotFound
    case 410:
      return CloseCode.LinkExpired
  }
}
