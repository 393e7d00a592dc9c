/** The machine's Redis for tests (`TEST_REDIS_URL`), with a fresh key prefix per run. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export function freshRedisPrefix(): string {
  return `drawbridge-test:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`
}
