import type { TLGeoShape } from '@tldraw/tlschema'
import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import { buildGeoShape, buildPage, FIRST_PAGE_ID } from '../document/records'
import { recordsToMxfile } from './exportMxfile'
import { mxfileToRecords } from './importMxfile'

describe('draw.io export of shapes drawn from Mermaid', () => {
  it('writes draw.io’s own cylinder and document, and imports them back as the same tldraw shape', () => {
    const page = buildPage({ id: FIRST_PAGE_ID, name: 'Page 1' })
    const [i1, i2, i3] = getIndices(3)
    const shape = (id: string, mermaidShape: string | undefined, index: typeof i1) =>
      buildGeoShape({
        id: `shape:${id}` as never,
        x: 0,
        y: 0,
        w: 120,
        h: 60,
        text: id,
        parentId: FIRST_PAGE_ID,
        index: index!,
        meta: mermaidShape ? { mermaidShape } : {},
      })
    const { xml } = recordsToMxfile([
      page,
      shape('db', 'cyl', i1),
      shape('doc', 'doc', i2),
      shape('plain', undefined, i3),
    ])
    const styleOf = (id: string) =>
      /style="([^"]*)"/.exec(xml.slice(xml.indexOf(`id="shape:${id}"`)))?.[1] ?? ''
    expect(styleOf('db')).toContain('shape=cylinder3')
    expect(styleOf('doc')).toContain('shape=document')
    expect(styleOf('plain')).not.toContain('shape=')
    const back = mxfileToRecords(xml, { pageId: FIRST_PAGE_ID })
    if (!back.ok) throw new Error(back.error)
    const geos = back.records.filter((r): r is TLGeoShape => r.typeName === 'shape' && r.type === 'geo')
    expect(geos.map((g) => g.props.geo)).toEqual(['rectangle', 'rectangle', 'rectangle'])
  })
})
