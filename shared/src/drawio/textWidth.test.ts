import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { mxfileToRecords } from './importMxfile'
import { longestWordWidth, wordWidth } from './textWidth'

const model = (cells: string) =>
  `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel>`

describe('word widths in the board fonts', () => {
  it('measures words as tldraw draws them: bold wider, mono fixed, wide scripts about an em', () => {
    expect(wordWidth('Legend', 'sans', false, 12)).toBeCloseTo(40.0, 0)
    expect(wordWidth('Legend', 'sans', true, 12)).toBeGreaterThan(wordWidth('Legend', 'sans', false, 12))
    expect(wordWidth('abcd', 'mono', false, 10)).toBe(24)
    expect(wordWidth('漢字', 'sans', false, 10)).toBe(20)
    expect(longestWordWidth('a Notification gateway', 'sans', false, 12)).toBe(
      wordWidth('Notification', 'sans', false, 12),
    )
  })

  it('widens a wrapped draw.io text cell to its widest word, about its alignment, instead of breaking it', () => {
    const result = mxfileToRecords(
      model(
        `<mxCell id="t" value="Legend" style="text;html=1;align=center;whiteSpace=wrap;fontStyle=1;" vertex="1" parent="1"><mxGeometry x="100" y="10" width="40" height="20" as="geometry"/></mxCell>` +
          `<mxCell id="u" value="A wide enough box" style="text;html=1;whiteSpace=wrap;" vertex="1" parent="1"><mxGeometry x="100" y="60" width="200" height="20" as="geometry"/></mxCell>`,
      ),
      { pageId: FIRST_PAGE_ID, origin: { x: 100, y: 10 } },
    )
    if (!result.ok) throw new Error(result.error)
    const [legend, wide] = result.records.filter(
      (r): r is Extract<TLShape, { type: 'text' }> => r.typeName === 'shape' && r.type === 'text',
    )
    const needed = wordWidth('Legend', 'sans', true, 12)
    const legendW = legend!.props.w * legend!.props.scale
    expect(legendW).toBeGreaterThanOrEqual(needed)
    expect(legendW).toBeLessThan(needed + 4)
    // Centred text grows on both sides: its centre stays where draw.io has it (20 px right of
    // the left edge both cells share).
    expect(legend!.x + legendW / 2 - wide!.x).toBeCloseTo(20, 5)
    expect(wide!.props.w * wide!.props.scale).toBeCloseTo(200, 5)
  })
})
