import { AssetRecordType, createShapeId, type TLAsset, type TLRecord, type TLShape } from '@tldraw/tlschema'
import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import { buildGeoShape, buildPage, FIRST_PAGE_ID } from '../document/records'
import { recordsToMxfile } from './exportMxfile'
import { mxfileToRecords } from './importMxfile'

const PNG_DATA =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const page = buildPage({ id: FIRST_PAGE_ID, name: 'P' })

function shape(type: string, props: Record<string, unknown>, extra: Partial<TLShape> = {}): TLRecord {
  return {
    id: createShapeId(),
    typeName: 'shape',
    type,
    x: 10,
    y: 20,
    rotation: 0,
    index: 'a1',
    parentId: FIRST_PAGE_ID,
    isLocked: false,
    opacity: 1,
    meta: {},
    props,
    ...extra,
  } as unknown as TLRecord
}

describe('recordsToMxfile', () => {
  it('writes images with their data URI in draw.io form and reads them back as assets', () => {
    const asset: TLAsset = {
      id: AssetRecordType.createId(),
      typeName: 'asset',
      type: 'image',
      props: { w: 1, h: 1, name: 'px', isAnimated: false, mimeType: 'image/png', src: PNG_DATA },
      meta: {},
    }
    const image = shape('image', {
      w: 50,
      h: 40,
      playing: true,
      url: '',
      assetId: asset.id,
      crop: null,
      flipX: false,
      flipY: false,
      altText: '',
    })
    const { xml, unmapped } = recordsToMxfile([page, asset, image])
    expect(unmapped).toEqual([])
    expect(xml).toContain('image=data:image/png,iVBORw0KGgo')
    const back = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
    if (!back.ok) throw new Error(back.error)
    // The image comes back as bytes for the asset store (the record waits for its URL).
    const importedAsset = back.records.find((r) => r.typeName === 'asset')
    expect(importedAsset).toMatchObject({ props: { src: null, mimeType: 'image/png' } })
    expect(back.images).toHaveLength(1)
    expect(`data:image/png;base64,${btoa(String.fromCharCode(...back.images[0]!.bytes))}`).toBe(PNG_DATA)
    expect(back.records.find((r) => r.typeName === 'shape')).toMatchObject({
      type: 'image',
      x: 10,
      y: 20,
      props: { w: 50, h: 40, assetId: importedAsset?.id },
    })
  })

  it('lists what it cannot write instead of dropping it silently', () => {
    const video = shape('video', {
      w: 10,
      h: 10,
      time: 0,
      playing: false,
      autoplay: false,
      url: '',
      assetId: null,
      altText: '',
    })
    const orphan = {
      ...buildGeoShape({ x: 0, y: 0, w: 10, h: 10, index: 'a2' as never }),
      parentId: 'shape:missing' as never,
    }
    const imageWithoutData = shape('image', {
      w: 5,
      h: 5,
      playing: true,
      url: '',
      assetId: null,
      crop: null,
      flipX: false,
      flipY: false,
      altText: '',
    })
    const { unmapped } = recordsToMxfile([page, video, orphan, imageWithoutData])
    expect(unmapped.map((u) => [u.type, u.reason])).toEqual([
      ['geo', 'shape is not on any page'],
      ['video', 'no draw.io mapping for video shapes'],
      ['image', 'image has no asset data or URL'],
    ])
  })

  it('writes groups as draw.io groups with children relative to the group box', () => {
    const [i1, i2, i3] = getIndices(3)
    const group = shape('group', {}, { x: 100, y: 100, index: i1! })
    const a = buildGeoShape({ x: 0, y: 0, w: 20, h: 20, text: 'a', parentId: group.id as never, index: i2! })
    const b = buildGeoShape({
      x: 80,
      y: 30,
      w: 20,
      h: 20,
      text: 'b',
      parentId: group.id as never,
      index: i3!,
    })
    const { xml } = recordsToMxfile([page, group, a, b])
    expect(xml).toMatch(
      new RegExp(
        `id="${group.id}" value="" style="group;" vertex="1" parent="1"><mxGeometry x="100" y="100" width="100" height="50"`,
      ),
    )
    expect(xml).toContain(`parent="${group.id}"><mxGeometry x="80" y="30"`)
    const back = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
    expect(back.ok && back.records.filter((r) => r.typeName === 'shape' && r.type === 'group')).toHaveLength(
      1,
    )
  })

  it('escapes rich text into HTML and the HTML into XML, keeping marks and safe links only', () => {
    const geo = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, index: 'a1' as never })
    const richText = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'text', text: '<img onerror=x>', marks: [{ type: 'bold' }] }],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'bad', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
            {
              type: 'text',
              text: ' good',
              marks: [{ type: 'link', attrs: { href: 'https://x.example/?a=1&b=2' } }],
            },
          ],
        },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item' }] }] },
          ],
        },
      ],
    }
    const { xml } = recordsToMxfile([page, { ...geo, props: { ...geo.props, richText } }])
    const value = /value="([^"]*)"/.exec(xml.slice(xml.indexOf(geo.id)))?.[1]
    expect(value).toBe(
      '&lt;b&gt;&amp;lt;img onerror=x&amp;gt;&lt;/b&gt;&lt;br&gt;bad&lt;a href=&quot;https://x.example/?a=1&amp;amp;b=2&quot;&gt; good&lt;/a&gt;&lt;br&gt;• item',
    )
    expect(xml).not.toContain('javascript')
  })

  it('writes one diagram per page, or only the page asked for', () => {
    const second = buildPage({ name: 'Second', index: 'a2' as never })
    const onSecond = buildGeoShape({ x: 0, y: 0, w: 10, h: 10, parentId: second.id, index: 'a1' as never })
    const records = [page, second, onSecond]
    expect(recordsToMxfile(records).xml.match(/<diagram /g)).toHaveLength(2)
    const only = recordsToMxfile(new Map(records.map((r) => [r.id, r])), { pageId: second.id })
    expect(only.xml.match(/<diagram /g)).toHaveLength(1)
    expect(only.xml).toContain('name="Second"')
    expect(only.xml).toContain(onSecond.id)
  })

  it('writes lines and highlights as unconnected edges that come back as the same kind', () => {
    const line = shape('line', {
      color: 'red',
      dash: 'dashed',
      size: 'l',
      spline: 'line',
      scale: 1,
      points: { a: { id: 'a', index: 'a1', x: 0, y: 0 }, b: { id: 'b', index: 'a2', x: 100, y: 50 } },
    })
    const { xml } = recordsToMxfile([page, line])
    const back = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
    if (!back.ok) throw new Error(back.error)
    expect(back.records[0]).toMatchObject({
      type: 'line',
      x: 10,
      y: 20,
      props: { color: 'red', dash: 'dashed', size: 'l' },
    })
  })

  it('exports 5,000 shapes and imports every one of them again (speed is measured by pnpm bench)', () => {
    const indices = getIndices(4999)
    const shapes = indices.map((index, i) =>
      buildGeoShape({
        x: (i % 100) * 150,
        y: Math.floor(i / 100) * 100,
        w: 120,
        h: 60,
        text: `n${i}`,
        index,
      }),
    )
    const { xml } = recordsToMxfile([page, ...shapes])
    const back = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
    expect(back.ok && back.shapes).toBe(5000)
  })
})
