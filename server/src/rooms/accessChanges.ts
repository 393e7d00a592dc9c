/**
 * Changes to who may do what, which must reach live connections at once — on this instance and,
 * through Redis, on every other. Validated with zod because they also arrive from Redis. Each names
 * the sockets it concerns; their rights are then decided afresh from the database (`linkAccess.ts`),
 * so the payload never grants anything by itself.
 */
import { EMAIL_MAX, Role } from '@drawbridge/shared'
import { z } from 'zod'

export const AccessChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link-revoked'), linkId: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('link-updated'),
    linkId: z.string().min(1).max(64),
    role: Role,
    expiresAt: z.iso.datetime().nullable(),
  }),
  z.object({ type: z.literal('room-deleted'), roomId: z.uuid() }),
  /** The board became private or public: every socket in it is re-checked. */
  z.object({ type: z.literal('room-privacy-changed'), roomId: z.uuid(), isPrivate: z.boolean() }),
  z.object({
    type: z.literal('member-removed'),
    roomId: z.uuid(),
    userId: z.uuid().nullable(),
    email: z.string().max(EMAIL_MAX),
  }),
  /** A member was invited, or invited again with another role: their sockets are re-checked. */
  z.object({
    type: z.literal('member-role-changed'),
    roomId: z.uuid(),
    email: z.string().max(EMAIL_MAX),
    role: Role,
  }),
])
export type AccessChange = z.infer<typeof AccessChange>
