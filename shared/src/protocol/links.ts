/**
 * Share links on the wire: what a link grants (`GET /api/links/<id>`), a room's links as its owner
 * sees them, and an owner's change to one (`PATCH /api/rooms/<roomId>/links/<linkId>`; rotate
 * answers the new link, revoke answers 204). Owns: these schemas. Must not touch: the network.
 */
import { z } from 'zod'
import { changeOf, Moment } from './fields'

/** What a link lets its holder do. */
export const Role = z.enum(['editor', 'viewer'])
export type Role = z.infer<typeof Role>

/** A link's id and its app URL (`<public url>/r/<id>`). */
export const LinkRef = z.object({ id: z.string().min(1), url: z.string() })
export type LinkRef = z.infer<typeof LinkRef>

/** `GET /api/links/<id>`: the room, the role this request gets through it, the board's name. */
export const LinkInfoReply = z.object({
  roomId: z.string(),
  role: Role,
  title: z.string(),
  private: z.boolean(),
  /** The signed-in account owns the board (it can manage it from any device). */
  owner: z.boolean(),
})
export type LinkInfoReply = z.infer<typeof LinkInfoReply>

/** One of a room's share links, as its owner sees it (revoked ones included). */
export const ShareLink = LinkRef.extend({
  role: Role,
  createdAt: Moment,
  expiresAt: Moment.nullable(),
  revokedAt: Moment.nullable(),
})
export type ShareLink = z.infer<typeof ShareLink>

/** `PATCH /api/rooms/<roomId>/links/<linkId>`: a new role, a new expiry (null: never), or both. */
export const UpdateLinkBody = changeOf({ role: Role.optional(), expiresAt: Moment.nullable().optional() })
export type UpdateLinkBody = z.input<typeof UpdateLinkBody>
