import { deflateSync, strToU8 } from 'fflate'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { encodeBase64 } from './codec'
import { mxfileToRecords } from './importMxfile'
import { IMPORT_LIMITS } from './limits'

const options = { pageId: FIRST_PAGE_ID }

function refused(input: string | Uint8Array, message: RegExp): void {
  const result = mxfileToRecords(input, options)
  expect(result.ok).toBe(false)
  if (!result.ok) expect(result.error).toMatch(message)
}

const model = (cells: string) =>
  `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel>`
const vertex = (id: string, parent = '1', extra = '') =>
  `<mxCell id="${id}" value="" style="" vertex="1" parent="${parent}" ${extra}><mxGeometry x="1" y="1" width="10" height="10" as="geometry"/></mxCell>`

describe('hostile or broken draw.io files are refused with a message, never a throw', () => {
  it('malformed XML, wrong roots, empty input', () => {
    refused('<mxGraphModel><root><mxCell id="0"></root>', /not well-formed/)
    refused('', /no XML root|not well-formed/)
    refused('<html><body/></html>', /expected <mxfile>/)
    refused('<mxfile></mxfile>', /no <diagram>/)
    refused('<mxfile><diagram>%%%not base64%%%</diagram></mxfile>', /not base64|does not inflate/)
    refused('<mxfile><diagram>AAAA</diagram></mxfile>', /inflate|URI/)
    refused(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
      /no draw.io diagram/,
    )
    refused('<svg xmlns="http://www.w3.org/2000/svg"></svg>', /no draw.io diagram/)
  })

  it('entity declarations (billion laughs, XXE) are refused before parsing', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><mxGraphModel><root><mxCell id="0" value="&lol2;"/></root></mxGraphModel>`
    refused(laughs, /entity declarations/)
    refused(
      '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><mxfile>&xxe;</mxfile>',
      /entity declarations/,
    )
    refused('<!DOCTYPE mxfile [<!ATTLIST mxfile a CDATA "x">]><mxfile/>', /DOCTYPE subset/)
  })

  it('oversized files, too many cells, too many pages, deflate bombs', () => {
    refused('x'.repeat(IMPORT_LIMITS.maxFileBytes + 1), /larger than/)
    const capped = mxfileToRecords('x'.repeat(2000), { pageId: FIRST_PAGE_ID, maxFileBytes: 1000 })
    expect(capped).toMatchObject({ ok: false, error: 'the file is larger than 1000 bytes' })
    const many = Array.from({ length: IMPORT_LIMITS.maxCells }, (_, i) => vertex(`v${i}`)).join('')
    refused(model(many), /more than 20000 cells/)
    const pages = Array.from(
      { length: IMPORT_LIMITS.maxPages + 1 },
      () => `<diagram>${model('')}</diagram>`,
    ).join('')
    refused(`<mxfile>${pages}</mxfile>`, /more than 100 pages/)
    const bomb = encodeBase64(deflateSync(strToU8('a'.repeat(IMPORT_LIMITS.maxXmlBytes + 10))))
    refused(`<mxfile><diagram>${bomb}</diagram></mxfile>`, /size limit/)
  })

  it('deep nesting, parent cycles, missing parents and terminals, duplicate ids', () => {
    const chain = Array.from({ length: IMPORT_LIMITS.maxDepth + 5 }, (_, i) =>
      vertex(`n${i}`, i === 0 ? '1' : `n${i - 1}`),
    ).join('')
    refused(model(chain), /deeper than/)
    refused(model(vertex('a', 'b') + vertex('b', 'a')), /cycle/)
    refused(model(vertex('a', 'ghost')), /missing parent/)
    refused(
      model(
        '<mxCell id="e" edge="1" parent="1" source="nowhere"><mxGeometry relative="1" as="geometry"/></mxCell>',
      ),
      /missing cell/,
    )
    refused(model(vertex('a') + vertex('a')), /used twice/)
    refused('<mxGraphModel><root><mxCell id="0"/><mxCell id="x"/></root></mxGraphModel>', /exactly one root/)
    const deepXml = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`
    refused(deepXml, /expected <mxfile>|not well-formed/)
  })

  it('absurd attribute values and bad options', () => {
    refused(model(vertex('a').replace(' x="1"', ' x="1e12"')), /x/)
    refused(model(vertex('a').replace('width="10"', 'width="NaN"')), /width/)
    refused(
      model(vertex('a').replace('value=""', `value="${'x'.repeat(IMPORT_LIMITS.maxLabelChars + 1)}"`)),
      /value/,
    )
    const bad = mxfileToRecords(model(''), { pageId: 'not-a-page' })
    expect(bad.ok).toBe(false)
    const badIndex = mxfileToRecords(model(''), { pageId: FIRST_PAGE_ID, indexAbove: 'a10' as never })
    expect(badIndex).toMatchObject({ ok: false, error: expect.stringMatching(/fractional index/) })
  })

  it('deeply nested HTML in a label is flattened to text, not a stack overflow', () => {
    const html = `${'&lt;b&gt;'.repeat(5000)}deep${'&lt;/b&gt;'.repeat(5000)}`
    const result = mxfileToRecords(
      model(vertex('a').replace('value=""', `value="${html}"`).replace('style=""', 'style="html=1;"')),
      options,
    )
    expect(result.ok).toBe(true)
    if (result.ok) expect(JSON.stringify(result.records)).toContain('deep')
  })

  it('unsafe image sources become plain rectangles', () => {
    const cell = vertex('img').replace('style=""', 'style="image;image=javascript:alert(1);"')
    const result = mxfileToRecords(model(cell), options)
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.records.some((r) => r.typeName === 'asset')).toBe(false)
      expect(JSON.stringify(result.records)).not.toContain('javascript')
    }
  })
})
