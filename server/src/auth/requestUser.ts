/**
 * Who is making a request: the bearer token on HTTP, `?token=` on the sync socket. No token means
 * anonymous (link-only) access; a token that does not verify is an error, never anonymous.
 */
import type { IncomingMessage } from 'node:http'
import type { AuthUser, TokenVerifier } from './tokens'

export type RequestUser = { ok: true; user: AuthUser | null } | { ok: false; reason: string }

export function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim()
  const fromQuery = new URL(request.url ?? '/', 'http://x').searchParams.get('token')
  return fromQuery ?? undefined
}

export async function identify(
  request: IncomingMessage,
  verifier: TokenVerifier | undefined,
): Promise<RequestUser> {
  const token = tokenOf(request)
  if (!token) return { ok: true, user: null }
  if (!verifier) return { ok: false, reason: 'sign-in is not configured on this server' }
  const check = await verifier.verify(token)
  return check.ok ? { ok: true, user: check.user } : { ok: false, reason: check.reason }
}
