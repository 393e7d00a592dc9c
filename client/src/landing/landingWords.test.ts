/** "When was this board last opened", in the words the landing page uses. */
import { describe, expect, it } from 'vitest'
import { describeOpenedAt } from './landingWords'

const NOW = Date.parse('2026-12-07T12:00:00Z')

describe('describeOpenedAt', () => {
  it('says minutes and hours in words, older visits as a date', () => {
    expect(describeOpenedAt(NOW - 10_000, NOW)).toBe('opened just now')
    expect(describeOpenedAt(NOW - 60_000, NOW)).toBe('opened 1 minute ago')
    expect(describeOpenedAt(NOW - 45 * 60_000, NOW)).toBe('opened 45 minutes ago')
    expect(describeOpenedAt(NOW - 3 * 3_600_000, NOW)).toBe('opened 3 hours ago')
    expect(describeOpenedAt(NOW - 3 * 86_400_000, NOW)).toMatch(/^opened .*2026/)
  })

  it('treats a clock that moved backwards as just now', () => {
    expect(describeOpenedAt(NOW + 5_000, NOW)).toBe('opened just now')
  })
})
