/** The server's rate limits, built once from the configuration (shared through Redis when set). */
import type { Redis } from 'ioredis'
import type { LimitsConfig } from '../config'
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rateLimiter'
import type { BucketPolicy } from './tokenBucket'

/** Per-connection buckets allow bursts of this many seconds' worth of traffic. */
const CONNECTION_BURST_SECONDS = 10

export interface Limits {
  /** WebSocket connection attempts, keyed by client IP. */
  wsConnects: RateLimiter
  /** Rooms created, keyed by client IP. */
  roomCreation: RateLimiter
  /** Named versions saved (and restores), keyed by room id. */
  namedVersionsPerRoom: RateLimiter
  /** Named versions saved (and restores), keyed by client IP. */
  namedVersionsPerIp: RateLimiter
  /** Frames per connection. */
  messages: BucketPolicy
  /** Bytes per connection. */
  bytes: BucketPolicy
}

/** A bucket that holds `count` and refills them over a minute (an hour): a steady rate with that burst. */
const perMinute = (count: number): BucketPolicy => ({ capacity: count, refillPerSecond: count / 60 })
const perHour = (count: number): BucketPolicy => ({ capacity: count, refillPerSecond: count / 3600 })

/** `redis` (with the deployment's key prefix) shares the per-IP limits between instances. */
export function createLimits(
  limits: LimitsConfig,
  redis: { client: Redis; prefix: string } | undefined,
): Limits {
  const perIp = (name: string, policy: BucketPolicy): RateLimiter =>
    redis
      ? new RedisRateLimiter(redis.client, `${redis.prefix}limit:${name}:`, policy)
      : new MemoryRateLimiter(policy)
  return {
    wsConnects: perIp('ws', perMinute(limits.wsConnectsPerMinute)),
    roomCreation: perIp('rooms', perHour(limits.roomsPerHour)),
    namedVersionsPerRoom: perIp('versions-room', perMinute(limits.namedVersionsPerMinute)),
    namedVersionsPerIp: perIp('versions-ip', perMinute(limits.namedVersionsPerIpPerMinute)),
    messages: {
      capacity: limits.messagesPerSecond * CONNECTION_BURST_SECONDS,
      refillPerSecond: limits.messagesPerSecond,
    },
    bytes: {
      capacity: limits.bytesPerSecond * CONNECTION_BURST_SECONDS,
      refillPerSecond: limits.bytesPerSecond,
    },
  }
}
