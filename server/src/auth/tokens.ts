/**
 * Verifies Supabase Auth JWTs (jose): HS256 with the project's JWT secret, or the project's JWKS.
 * Signature, expiry and audience are checked; the result says who the user is or why not.
 * Must not touch: storage, sockets.
 */
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'
import type { AuthConfig } from '../config'

export interface AuthUser {
  id: string
  email: string | null
}

export type TokenCheck = { ok: true; user: AuthUser } | { ok: false; reason: string }

export interface TokenVerifier {
  verify(token: string): Promise<TokenCheck>
}

/** The project's URL (issuer, JWKS), its HS256 secret if any, and the audience tokens must carry. */
export type AuthOptions = Pick<AuthConfig, 'supabaseUrl' | 'jwtSecret' | 'audience'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function toUser(payload: JWTPayload): TokenCheck {
  if (typeof payload.sub !== 'string' || !UUID.test(payload.sub))
    return { ok: false, reason: 'token has no user id' }
  const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : null
  return { ok: true, user: { id: payload.sub.toLowerCase(), email } }
}

/** A verifier for the configured project, or undefined when accounts are not configured. */
export function createTokenVerifier(options: AuthOptions): TokenVerifier | undefined {
  const issuer = options.supabaseUrl ? `${options.supabaseUrl.replace(/\/$/, '')}/auth/v1` : undefined
  const checks = { audience: options.audience, ...(issuer ? { issuer } : {}) }
  if (options.jwtSecret) {
    const key = new TextEncoder().encode(options.jwtSecret)
    return {
      async verify(token) {
        try {
          const { payload } = await jwtVerify(token, key, { ...checks, algorithms: ['HS256'] })
          return toUser(payload)
        } catch (error) {
          return { ok: false, reason: error instanceof Error ? error.message : 'invalid token' }
        }
      },
    }
  }
  if (issuer) {
    const keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))
    return {
      async verify(token) {
        try {
          const { payload } = await jwtVerify(token, keys, checks)
          return toUser(payload)
        } catch (error) {
          return { ok: false, reason: error instanceof Error ? error.message : 'invalid token' }
        }
      },
    }
  }
  return undefined
}
