/**
 * Link ids: minted where links are stored (a new room's two links, a new or rotated link).
 * The shape check for presented ids is `rooms/capabilities.looksLikeLinkId`.
 */
import { randomBytes } from 'node:crypto'

/** 144 random bits of a link id. */
const LINK_ID_BYTES = 18

/** 144 random bits, URL-safe (24 characters). */
export function newLinkId(): string {
  return randomBytes(LINK_ID_BYTES).toString('base64url')
}
