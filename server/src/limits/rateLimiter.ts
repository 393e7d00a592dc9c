/**
 * Keyed rate limits (per IP), shared by every instance through Redis when it is configured and
 * kept in memory otherwise. Must not touch: HTTP responses, sockets (callers decide what a refusal
 * means).
 */
import type { Redis } from 'ioredis'
import { type BucketPolicy, type BucketState, type TakeResult, takeTokens } from './tokenBucket'

export interface RateLimiter {
  take(key: string, cost?: number): Promise<TakeResult>
}

/** Buckets in this process; the oldest are forgotten past `maxKeys` so memory stays bounded. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, BucketState>()

  constructor(
    private readonly policy: BucketPolicy,
    private readonly maxKeys = 100_000,
  ) {}

  async take(key: string, cost = 1): Promise<TakeResult> {
    const now = Date.now()
    let state = this.buckets.get(key)
    if (state) this.buckets.delete(key)
    else state = { tokens: this.policy.capacity, updatedAtMs: now }
    this.buckets.set(key, state) // most recently used last
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string)
    return takeTokens(this.policy, state, cost, now)
  }
}

/** The same token bucket as one atomic Lua script, so all instances share a key's tokens. */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) / 1000 * refill)
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) / refill * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill * 1000) + 1000)
return { allowed, retry }
`

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly policy: BucketPolicy,
    /** Used while Redis is unreachable, so limits still hold on this instance. */
    private readonly fallback = new MemoryRateLimiter(policy),
  ) {}

  async take(key: string, cost = 1): Promise<TakeResult> {
    try {
      const [allowed, retry] = (await this.redis.eval(
        TAKE_SCRIPT,
        1,
        this.keyPrefix + key,
        this.policy.capacity,
        this.policy.refillPerSecond,
        cost,
        Date.now(),
      )) as [number, number]
      return allowed === 1 ? { ok: true } : { ok: false, retryAfterMs: retry }
    } catch {
      return this.fallback.take(key, cost)
    }
  }
}
