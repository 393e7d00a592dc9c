import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { mxfileToRecords } from './importMxfile'
import { richTextToPlain } from './richText'

/** A 12,000-character "image" (valid base64 of zero bytes after an 8-byte PNG signature). */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const bigPng = btoa(String.fromCharCode(...PNG_SIGNATURE, ...new Array(9000).fill(0)))

const model = (cells: string) =>
  `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel>`
const imageCell = (id: string, data: string, x = 0) =>
  `<mxCell id="${id}" value="" style="shape=image;verticalLabelPosition=bottom;image=data:image/png,${data};" vertex="1" parent="1"><mxGeometry x="${x}" y="0" width="40" height="40" as="geometry"/></mxCell>`
const shapes = (records: TLRecord[]) => records.filter((r): r is TLShape => r.typeName === 'shape')

describe('embedded images', () => {
  it('takes image data out of the style before the style limit, once per distinct image', () => {
    expect(bigPng.length).toBeGreaterThan(10_000)
    const result = mxfileToRecords(model(imageCell('a', bigPng) + imageCell('b', bigPng, 100)), {
      pageId: FIRST_PAGE_ID,
    })
    if (!result.ok) throw new Error(result.error)
    expect(result.images).toHaveLength(1)
    expect([...result.images[0]!.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE)
    const images = shapes(result.records).filter((s) => s.type === 'image')
    expect(images).toHaveLength(2)
    expect(new Set(images.map((s) => s.type === 'image' && s.props.assetId))).toEqual(
      new Set([result.images[0]!.assetId]),
    )
    expect(JSON.stringify(result.records)).not.toContain(bigPng.slice(0, 40))
  })

  it('turns an image over the per-image limit into a labelled placeholder and says so, importing the rest', () => {
    const result = mxfileToRecords(
      model(
        `${imageCell('big', bigPng)}<mxCell id="ok" value="Still here" style="rounded=0;" vertex="1" parent="1"><mxGeometry x="100" width="80" height="40" as="geometry"/></mxCell>`,
      ),
      { pageId: FIRST_PAGE_ID, maxImageBytes: 4096 },
    )
    if (!result.ok) throw new Error(result.error)
    expect(result.images).toEqual([])
    expect(result.skippedItems).toEqual([
      { id: 'big', page: 'Page-1', reason: 'Image not imported: 9 KiB is over the 4 KiB limit' },
    ])
    const labels = shapes(result.records).map((s) =>
      'richText' in s.props ? richTextToPlain(s.props.richText) : '',
    )
    expect(labels).toContain('Image not imported: 9 KiB is over the 4 KiB limit')
    expect(labels).toContain('Still here')
    expect(result.records.some((r) => r.typeName === 'asset')).toBe(false)
  })
})
