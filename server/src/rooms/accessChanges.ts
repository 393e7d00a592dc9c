/**
 * Changes to who may do what, which must reach live connections at once — on this instance and,
 * through Redis, on every other. Validated with zod because they also arrive from Redis.
 */
import { z } from 'zod'

export const AccessChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link-revoked'), linkId: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('link-updated'),
    linkId: z.string().min(1).max(64),
    role: z.enum(['editor', 'viewer']),
    expiresAt: z.iso.datetime().nullable(),
  }),
  z.object({ type: z.literal('room-deleted'), roomId: z.uuid() }),
  z.object({
    type: z.literal('member-removed'),
    roomId: z.uuid(),
    userId: z.uuid().nullable(),
    email: z.string().max(320),
  }),
])
export type AccessChange = z.infer<typeof AccessChange>
