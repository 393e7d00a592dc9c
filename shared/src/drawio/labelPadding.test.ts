import { type TLShape, toRichText } from '@tldraw/tlschema'
import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import { LABEL_LINE_HEIGHT_META_KEY, LABEL_PADDING_META_KEY } from '../document/labelPadding'
import { buildGeoShape, buildPage, FIRST_PAGE_ID } from '../document/records'
import { recordsToMxfile } from './exportMxfile'
import { mxfileToRecords } from './importMxfile'
import { parseStyle } from './style'

const model = (cells: string) =>
  `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel>`

function geos(xml: string): Array<Extract<TLShape, { type: 'geo' }>> {
  const result = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
  if (!result.ok) throw new Error(result.error)
  return result.records.filter(
    (r): r is Extract<TLShape, { type: 'geo' }> => r.typeName === 'shape' && r.type === 'geo',
  )
}

describe('label padding', () => {
  it("keeps draw.io's label inset (spacing, 2 px by default) instead of tldraw's 16 px × scale", () => {
    const [plain, spaced] = geos(
      model(
        `<mxCell id="a" value="Decision" style="rhombus;whiteSpace=wrap;html=1;" vertex="1" parent="1"><mxGeometry width="60" height="60" as="geometry"/></mxCell>` +
          `<mxCell id="b" value="Wide" style="rounded=0;whiteSpace=wrap;html=1;spacing=4;spacingLeft=10;spacingRight=2;" vertex="1" parent="1"><mxGeometry x="100" width="60" height="60" as="geometry"/></mxCell>`,
      ),
    )
    expect(plain?.meta).toEqual({ [LABEL_PADDING_META_KEY]: 2, [LABEL_LINE_HEIGHT_META_KEY]: 1.2 })
    expect(spaced?.meta).toEqual({ [LABEL_PADDING_META_KEY]: 10, [LABEL_LINE_HEIGHT_META_KEY]: 1.2 })
  })

  it('writes the padding the board draws as `spacing`, so both round trips keep it', () => {
    const [i1, i2] = getIndices(2)
    const own = buildGeoShape({ x: 0, y: 0, w: 120, h: 60, text: 'Board shape', index: i1! })
    const imported = {
      ...buildGeoShape({ x: 200, y: 0, w: 200, h: 60, text: 'From draw.io', index: i2! }),
      meta: { [LABEL_PADDING_META_KEY]: 2 },
    }
    const small = { ...own, props: { ...own.props, scale: 12 / 18, richText: toRichText('Small') } }
    const { xml } = recordsToMxfile([buildPage({ id: FIRST_PAGE_ID, name: 'P' }), small, imported])
    const spacings = [...xml.matchAll(/style="([^"]*)"/g)]
      .map((m) => parseStyle(m[1]!.replaceAll('&amp;', '&')).get('spacing'))
      .filter(Boolean)
    expect(spacings.sort()).toEqual(['10.67', '2'])
    const back = geos(xml)
    // tldraw's own padding reads back as no padding of its own; draw.io's stays.
    expect(back.map((s) => s.meta[LABEL_PADDING_META_KEY]).sort()).toEqual([2, undefined])
  })
})
