/**
 * Who is calling `/mcp`: the board link in `Authorization: Bearer <linkId>` (edit or view link)
 * and, on boards with accounts, a Supabase JWT in `X-Supabase-Token`, decided exactly as the API
 * and the socket decide (`decideLinkAccess`). Unknown, revoked or expired links are
 * 401 here (MCP clients expect it for a bad bearer). Owns: that decision for MCP. Must not touch:
 * sessions, tools, responses.
 */
import type { IncomingMessage } from 'node:http'
import type { AuthUser, TokenVerifier } from '../auth/tokens'
import { decideLinkAccess } from '../rooms/linkAccess'
import type { LinkLookup, Role } from '../storage/storage'

export const SUPABASE_TOKEN_HEADER = 'x-supabase-token'

export interface McpGrant {
  linkId: string
  roomId: string
  role: Role
  user: AuthUser | null
  /** When the link stops working (the session ends then too). */
  expiresAt: Date | null
}

export type McpAuthorization =
  | { ok: true; grant: McpGrant }
  | { ok: false; status: 401 | 403; reason: string }

/** The link id of `Authorization: Bearer <linkId>`, if the header has that form. */
export function bearerOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}

export async function authorizeMcp(
  request: IncomingMessage,
  rooms: LinkLookup,
  verifier: TokenVerifier | undefined,
): Promise<McpAuthorization> {
  const linkId = bearerOf(request)
  if (!linkId)
    return { ok: false, status: 401, reason: 'Send the board link as Authorization: Bearer <linkId>.' }
  let user: AuthUser | null = null
  const token = request.headers[SUPABASE_TOKEN_HEADER]
  if (typeof token === 'string' && token !== '') {
    if (!verifier) return { ok: false, status: 401, reason: 'Sign-in is not configured on this server.' }
    const check = await verifier.verify(token)
    if (!check.ok) return { ok: false, status: 401, reason: `Sign-in failed: ${check.reason}` }
    user = check.user
  }
  const access = await decideLinkAccess(rooms, linkId, user)
  if (!access.ok) {
    if (access.status === 404)
      return { ok: false, status: 401, reason: 'This board link does not exist or has been revoked.' }
    if (access.status === 410) return { ok: false, status: 401, reason: 'This board link has expired.' }
    return { ok: false, status: access.status, reason: access.reason }
  }
  // The server's own agent links are not for clients.
  if (access.grant.purpose !== 'share')
    return { ok: false, status: 401, reason: 'This board link does not exist or has been revoked.' }
  const { roomId, expiresAt } = access.grant
  return { ok: true, grant: { linkId, roomId, role: access.role, user, expiresAt } }
}

/** The session's rights decided afresh (after an access change): its role, or undefined when withdrawn. */
export async function recheckMcpGrant(rooms: LinkLookup, grant: McpGrant): Promise<Role | undefined> {
  const access = await decideLinkAccess(rooms, grant.linkId, grant.user)
  if (!access.ok) return undefined
  grant.expiresAt = access.grant.expiresAt
  return access.role
}
