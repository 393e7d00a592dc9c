import { toRichText } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { fitLabel, WORD_SLACK } from './labelFit'
import { parseStyle } from './style'
import { wordWidth } from './textWidth'

const fit = (style: string, text: string, w: number, h: number, fontSize = 12) =>
  fitLabel({
    style: parseStyle(style),
    label: toRichText(text),
    w,
    h,
    font: 'sans',
    fontSize,
    scale: fontSize / 18,
  })

describe("fitting draw.io's label inset to the box", () => {
  it("keeps the cell's inset where a line and the widest word fit", () => {
    expect(fit('rounded=0;', 'Decision', 60, 60)).toEqual({ padding: 2, scale: 12 / 18 })
    expect(fit('rounded=0;spacing=8;', 'A B', 70, 40)).toEqual({ padding: 8, scale: 12 / 18 })
  })

  it('shrinks an inset that would leave no line inside the box (ER rows: spacingLeft=34 in a 26 px row)', () => {
    const row = fit('shape=partialRectangle;spacingLeft=34;spacingRight=4;align=left;', 'UserID', 160, 26)
    expect(row?.padding).toBeCloseTo((26 - 1.2 * 12) / 2, 5)
  })

  it('shrinks the inset, then the font, until the widest word fits (draw.io lets it stick out whole)', () => {
    const scheduler = fit('spacing=8;', 'Queuing / Scheduler', 70, 40)
    const word = wordWidth('Scheduler', 'sans', false, 12) + WORD_SLACK
    expect(scheduler).toEqual({ padding: (70 - word) / 2, scale: 12 / 18 })
    const wide = fit('rounded=0;', 'Basidiomycetes', 100, 50, 14)!
    expect(wide.padding).toBe(0)
    expect(wide.scale).toBeLessThan(14 / 18)
    expect(wordWidth('Basidiomycetes', 'sans', false, wide.scale * 18) + WORD_SLACK).toBeCloseTo(100, 5)
    // Never below 60 % of the file's size: a word that far too wide breaks rather than shrinks to nothing.
    expect(fit('rounded=0;', 'Supercalifragilistic', 40, 40)).toEqual({ padding: 0, scale: 12 / 18 })
  })

  it("reads tldraw's own inset (a Drawbridge export) as no draw.io layout", () => {
    expect(fit(`spacing=${(16 * 12) / 18};`, 'Board shape', 120, 60)).toBeUndefined()
  })
})
