/**
 * `GET /api/usage[?roomId=&days=]`: what the co-pilot's model calls cost, by UTC day and model,
 * newest first — a room's (its owner, with the owner key) or the signed-in person's (their
 * requests and their rooms). Owns: this schema. Must not touch: the network, the metering.
 */
import { z } from 'zod'

export const UsageTotal = z.object({
  /** `YYYY-MM-DD`, UTC. */
  day: z.string(),
  model: z.string(),
  calls: z.number(),
  failures: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
})
export type UsageTotal = z.infer<typeof UsageTotal>

export const UsageReply = z.object({ scope: z.enum(['room', 'user']), totals: z.array(UsageTotal) })
export type UsageReply = z.infer<typeof UsageReply>
