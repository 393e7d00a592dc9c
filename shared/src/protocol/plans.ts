/**
 * The co-pilot's plan and limit names, as every reply and refusal spells them (the quota reply,
 * the 429 body, the job store). Owns: these names. Must not touch: the limits' numbers (the
 * `plans` table holds them).
 */
import { z } from 'zod'

export const PlanName = z.enum(['free', 'basic', 'pro', 'enterprise'])
export type PlanName = z.infer<typeof PlanName>

export const LimitName = z.enum(['hour', 'day', 'concurrent', 'minute'])
export type LimitName = z.infer<typeof LimitName>

/**
 * Whose limit was hit: the plan's (per account, or per board + address), the one on anonymous
 * requests from one address across boards, or the planner's per-minute one.
 */
export const LimitScope = z.enum(['plan', 'address', 'planner'])
export type LimitScope = z.infer<typeof LimitScope>
