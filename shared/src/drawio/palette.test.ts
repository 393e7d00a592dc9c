import { describe, expect, it } from 'vitest'
import { COLOR_NAMES, nearestColor, PALETTE } from './palette'

describe('nearestColor', () => {
  it('maps every palette colour to itself', () => {
    for (const name of COLOR_NAMES) expect(nearestColor(PALETTE[name].solid)).toBe(name)
    for (const name of COLOR_NAMES) expect(nearestColor(PALETTE[name].note, 'note')).toBe(name)
  })

  it("maps draw.io's default swatches to the tldraw colour of the same hue", () => {
    const swatches: Array<[string, RegExp]> = [
      ['#6c8ebf', /blue/],
      ['#82b366', /green/],
      ['#d6b656', /yellow|orange/],
      ['#b85450', /red/],
      ['#9673a6', /violet/],
      ['#d79b00', /orange|yellow/],
      ['#666666', /grey/],
      ['#000000', /black/],
      ['#ffffff', /white/],
    ]
    for (const [hex, expected] of swatches) expect(nearestColor(hex)).toMatch(expected)
    expect(nearestColor('none')).toBeNull()
    expect(nearestColor('#12')).toBeNull()
  })
})
