/**
 * `GET /healthz` on the wire: 200 when the database answers, 503 (`degraded`) when it does not —
 * rooms stay live and their writes wait (`pendingWriteBytes`). `redis` is there only when the
 * server uses Redis; Redis down is reported but still healthy. Owns: these schemas.
 */
import { z } from 'zod'

const Redis = z.enum(['ok', 'unreachable'])

export const HealthReply = z.object({
  ok: z.literal(true),
  db: z.enum(['pglite', 'postgres']),
  redis: Redis.optional(),
})
export type HealthReply = z.infer<typeof HealthReply>

export const DegradedHealthReply = z.object({
  ok: z.literal(false),
  status: z.literal('degraded'),
  db: z.literal('unreachable'),
  pendingWriteBytes: z.number(),
  redis: Redis.optional(),
})
export type DegradedHealthReply = z.infer<typeof DegradedHealthReply>
