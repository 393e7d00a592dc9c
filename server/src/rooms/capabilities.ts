/**
 * Capability secrets: link ids and owner keys. Owns owner-key generation, hashing and the link-id
 * shape check (link ids are minted by `storage/linkIds.ts`, where links are stored).
 * Must not touch: storage, sockets.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** 256 random bits; only its hash is stored. */
export function newOwnerKey(): string {
  return randomBytes(32).toString('base64url')
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret))
  const stored = Buffer.from(storedHash)
  return presented.length === stored.length && timingSafeEqual(presented, stored)
}

/** A link id has the shape we issue; anything else is refused without a database look-up. */
export function looksLikeLinkId(value: string): boolean {
  return /^[A-Za-z0-9_-]{22,64}$/.test(value)
}
