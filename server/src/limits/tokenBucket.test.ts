import { describe, expect, it } from 'vitest'
import { MemoryRateLimiter } from './rateLimiter'
import { takeTokens } from './tokenBucket'

describe('takeTokens', () => {
  const policy = { capacity: 3, refillPerSecond: 1 }
  it('allows a burst up to capacity, then says when to come back', () => {
    const state = { tokens: 3, updatedAtMs: 0 }
    expect([1, 2, 3].map(() => takeTokens(policy, state, 1, 0).ok)).toEqual([true, true, true])
    expect(takeTokens(policy, state, 1, 0)).toEqual({ ok: false, retryAfterMs: 1000 })
    expect(takeTokens(policy, state, 1, 500)).toEqual({ ok: false, retryAfterMs: 500 })
    expect(takeTokens(policy, state, 1, 1000).ok).toBe(true)
  })

  it('never refills past capacity', () => {
    const state = { tokens: 0, updatedAtMs: 0 }
    takeTokens(policy, state, 0, 60_000)
    expect(state.tokens).toBe(3)
  })
})

describe('MemoryRateLimiter', () => {
  it('keeps keys apart and forgets the oldest past its bound', async () => {
    const limiter = new MemoryRateLimiter({ capacity: 1, refillPerSecond: 0.001 }, 2)
    expect((await limiter.take('a')).ok).toBe(true)
    expect((await limiter.take('a')).ok).toBe(false)
    expect((await limiter.take('b')).ok).toBe(true)
    await limiter.take('c') // evicts 'a'
    expect((await limiter.take('a')).ok).toBe(true)
  })
})
