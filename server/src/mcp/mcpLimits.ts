/**
 * The MCP endpoint's rate limits: HTTP requests per minute and tool calls per hour, each per board
 * link and per client IP (token buckets, in Redis when configured so every instance counts
 * together). Links are keyed by their hash, never stored in Redis as such.
 * Owns: those buckets. Must not touch: responses, sessions.
 */
import type { Redis } from 'ioredis'
import type { McpConfig } from '../config'
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from '../limits/rateLimiter'
import type { BucketPolicy } from '../limits/tokenBucket'
import { hashSecret } from '../rooms/capabilities'

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number; limit: string }

export class McpLimits {
  private readonly requests: RateLimiter
  private readonly calls: RateLimiter

  constructor(
    private readonly config: McpConfig,
    redis: Redis | undefined,
    redisPrefix: string,
  ) {
    const limiter = (name: string, policy: BucketPolicy): RateLimiter =>
      redis
        ? new RedisRateLimiter(redis, `${redisPrefix}limit:mcp-${name}:`, policy)
        : new MemoryRateLimiter(policy)
    this.requests = limiter('requests', {
      capacity: config.requestsPerMinute,
      refillPerSecond: config.requestsPerMinute / 60,
    })
    this.calls = limiter('calls', {
      capacity: config.callsPerHour,
      refillPerSecond: config.callsPerHour / 3600,
    })
  }

  /** One HTTP request to `/mcp`. */
  admitRequest(linkId: string, ip: string): Promise<Admission> {
    return this.admit(this.requests, linkId, ip, `${this.config.requestsPerMinute} requests per minute`)
  }

  /** One tool call. */
  admitCall(linkId: string, ip: string): Promise<Admission> {
    return this.admit(this.calls, linkId, ip, `${this.config.callsPerHour} tool calls per hour`)
  }

  private async admit(limiter: RateLimiter, linkId: string, ip: string, limit: string): Promise<Admission> {
    const byLink = await limiter.take(`link:${hashSecret(linkId)}`)
    if (!byLink.ok) return { ok: false, retryAfterSeconds: Math.ceil(byLink.retryAfterMs / 1000), limit }
    const byIp = await limiter.take(`ip:${ip}`)
    if (!byIp.ok) return { ok: false, retryAfterSeconds: Math.ceil(byIp.retryAfterMs / 1000), limit }
    return { ok: true }
  }
}
