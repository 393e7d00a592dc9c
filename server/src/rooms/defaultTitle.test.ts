/** The default board name is readable and dated. */
import { describe, expect, it } from 'vitest'
import { defaultBoardTitle } from './defaultTitle'

describe('defaultBoardTitle', () => {
  it('names a board after the day it was made', () => {
    expect(defaultBoardTitle(new Date('2026-12-07T06:00:00Z'))).toBe('Board — 7 Dec')
    expect(defaultBoardTitle(new Date('2027-01-31T23:59:59Z'))).toBe('Board — 31 Jan')
  })
})
