/**
 * Token buckets: `capacity` tokens, refilled at `refillPerSecond`; a take that finds too few
 * tokens is refused with how long until it would succeed. Pure: the clock is passed in.
 */

export interface BucketPolicy {
  capacity: number
  refillPerSecond: number
}

export interface BucketState {
  tokens: number
  updatedAtMs: number
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number }

/** Takes `cost` tokens from `state` (mutated) under `policy` at time `nowMs`. */
export function takeTokens(
  policy: BucketPolicy,
  state: BucketState,
  cost: number,
  nowMs: number,
): TakeResult {
  const elapsedSeconds = Math.max(0, nowMs - state.updatedAtMs) / 1000
  state.tokens = Math.min(policy.capacity, state.tokens + elapsedSeconds * policy.refillPerSecond)
  state.updatedAtMs = nowMs
  if (state.tokens >= cost) {
    state.tokens -= cost
    return { ok: true }
  }
  const missing = cost - state.tokens
  return { ok: false, retryAfterMs: Math.ceil((missing / policy.refillPerSecond) * 1000) }
}

/** A bucket for one connection, kept with it (no shared state needed). */
export class TokenBucket {
  private readonly state: BucketState

  constructor(private readonly policy: BucketPolicy) {
    this.state = { tokens: policy.capacity, updatedAtMs: Date.now() }
  }

  take(cost = 1, nowMs = Date.now()): TakeResult {
    return takeTokens(this.policy, this.state, cost, nowMs)
  }
}
