import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { mxfileToRecords } from './importMxfile'
import { richTextToPlain } from './richText'

const file = (cells: string) =>
  `<mxfile><diagram name="Context" id="d"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel></diagram></mxfile>`

function labels(xml: string): string[] {
  const result = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
  if (!result.ok) throw new Error(result.error)
  return result.records
    .filter((r): r is TLShape => r.typeName === 'shape')
    .map((s) =>
      s.type === 'geo' ? richTextToPlain(s.props.richText) : s.type === 'frame' ? s.props.name : '',
    )
    .sort()
}

describe('draw.io placeholders', () => {
  it("fills %name% from the cell's object, then its ancestors', then the page, as draw.io shows it", () => {
    const xml = file(
      `<object id="sys" label="%c4Name%" c4Name="Billing" c4Type="Software System" placeholders="1">` +
        `<mxCell style="swimlane;html=1;" vertex="1" parent="1"><mxGeometry width="400" height="300" as="geometry"/></mxCell></object>` +
        `<object id="api" label="&lt;b&gt;%c4Name%&lt;/b&gt;&lt;div&gt;[%c4Type%: %c4Technology%]&lt;/div&gt;%unknown% on %page%" c4Name="Payments API" c4Technology="Node &amp; Postgres" placeholders="1">` +
        `<mxCell style="rounded=1;whiteSpace=wrap;html=1;" vertex="1" parent="sys"><mxGeometry x="20" y="40" width="160" height="80" as="geometry"/></mxCell></object>` +
        `<object id="raw" label="%c4Name% stays" c4Name="not used">` +
        `<mxCell style="rounded=1;whiteSpace=wrap;html=1;" vertex="1" parent="1"><mxGeometry x="500" width="160" height="80" as="geometry"/></mxCell></object>`,
    )
    expect(labels(xml)).toEqual([
      '%c4Name% stays',
      'Billing',
      'Payments API\n[Software System: Node & Postgres]\n%unknown% on Context',
    ])
  })
})
