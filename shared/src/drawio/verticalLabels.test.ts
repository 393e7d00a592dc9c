import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { mxfileToRecords } from './importMxfile'
import { richTextToPlain } from './richText'

const model = (cells: string) =>
  `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel>`

describe('labels draw.io turns a quarter turn (horizontal=0)', () => {
  it('become a text shape turned a quarter turn back (270°) about the lane header, as long as the header is tall; the box keeps no label', () => {
    const result = mxfileToRecords(
      model(
        `<mxCell id="h" value="Lane 1" style="fillColor=#23445D;fontSize=24;horizontal=0;html=1;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="50" height="300" as="geometry"/></mxCell>`,
      ),
      { pageId: FIRST_PAGE_ID },
    )
    if (!result.ok) throw new Error(result.error)
    const shapes = result.records.filter((r): r is TLShape => r.typeName === 'shape')
    const header = shapes.find((s) => s.type === 'geo')
    const label = shapes.find((s) => s.type === 'text')
    expect(header?.type === 'geo' && richTextToPlain(header.props.richText)).toBe('')
    if (label?.type !== 'text') throw new Error('no text shape')
    expect(richTextToPlain(label.props.richText)).toBe('Lane 1')
    expect(label.rotation).toBeCloseTo((3 * Math.PI) / 2)
    expect(label.props.w * label.props.scale).toBeCloseTo(300)
    expect(label.props.textAlign).toBe('middle')
    // Its top-left corner, turned: the text runs up the header's centre line, bottom to top.
    const h = 24 * 1.35
    expect(label.x).toBeCloseTo(25 - h / 2, 5)
    expect(label.y).toBeCloseTo(300, 5)
  })
})
