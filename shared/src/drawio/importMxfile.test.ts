import type { TLArrowBinding, TLRecord, TLShape } from '@tldraw/tlschema'
import { strToU8, zlibSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import { boundsOf } from './bounds'
import { compressDiagram } from './codec'
import { mxfileToRecords } from './importMxfile'
import { richTextToPlain } from './richText'

const shapes = (records: TLRecord[]) => records.filter((r): r is TLShape => r.typeName === 'shape')
const label = (shape: TLShape | undefined) =>
  shape && 'richText' in shape.props ? richTextToPlain(shape.props.richText) : ''
const byLabel = (records: TLRecord[], text: string) => shapes(records).find((s) => label(s) === text)
const options = { pageId: FIRST_PAGE_ID }

function ok(input: string | Uint8Array) {
  const result = mxfileToRecords(input, options)
  if (!result.ok) throw new Error(result.error)
  for (const record of result.records) expect(validateDocumentRecord(record)).toMatchObject({ ok: true })
  return result
}

/** Shaped like files draw.io writes: two layers with random ids, wrappers, a container, edges. */
const REAL_WORLD_MODEL = `<mxGraphModel dx="1000" dy="600" grid="1"><root>
  <mxCell id="WIyWlLk6GJQsqaUBKTNV-0"/>
  <mxCell id="WIyWlLk6GJQsqaUBKTNV-1" parent="WIyWlLk6GJQsqaUBKTNV-0"/>
  <mxCell id="layer2" value="Notes" parent="WIyWlLk6GJQsqaUBKTNV-0"/>
  <object label="Wrapped &lt;b&gt;bold&lt;/b&gt;" owner="ops" id="obj-1">
    <mxCell style="rounded=1;whiteSpace=wrap;html=1;fillColor=#dae8fc;strokeColor=#6c8ebf;" vertex="1" parent="WIyWlLk6GJQsqaUBKTNV-1">
      <mxGeometry x="40" y="40" width="120" height="60" as="geometry"/>
    </mxCell>
  </object>
  <mxCell id="pool" value="Lane" style="swimlane;startSize=20;" vertex="1" parent="WIyWlLk6GJQsqaUBKTNV-1">
    <mxGeometry x="300" y="20" width="300" height="200" as="geometry"/>
  </mxCell>
  <UserObject label="Nested" link="https://example.com" id="child">
    <mxCell style="rhombus;whiteSpace=wrap;html=1;" vertex="1" parent="pool">
      <mxGeometry x="50" y="60" width="80" height="80" as="geometry"/>
    </mxCell>
  </UserObject>
  <mxCell id="hostile" value="&lt;div&gt;safe&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&lt;a href=&quot;javascript:alert(3)&quot;&gt;click&lt;/a&gt;&lt;br&gt;&lt;a href=&quot;https://ok.example&quot;&gt;fine&lt;/a&gt;&lt;/div&gt;" style="ellipse;html=1;" vertex="1" parent="layer2">
    <mxGeometry x="40" y="300" width="100" height="100" as="geometry"/>
  </mxCell>
  <mxCell id="stencil" value="AWS thing" style="shape=mxgraph.aws4.lambda;" vertex="1" parent="layer2">
    <mxGeometry x="200" y="300" width="78" height="78" as="geometry"/>
  </mxCell>
  <mxCell id="e1" value="to nested" style="edgeStyle=orthogonalEdgeStyle;endArrow=block;endFill=1;" edge="1" parent="WIyWlLk6GJQsqaUBKTNV-1" source="obj-1" target="child">
    <mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="200" y="70"/><mxPoint x="200" y="120"/></Array></mxGeometry>
  </mxCell>
  <mxCell id="e2" style="endArrow=open;curved=1;" edge="1" parent="layer2" source="stencil">
    <mxGeometry relative="1" as="geometry">
      <mxPoint x="500" y="400" as="targetPoint"/>
      <Array as="points"><mxPoint x="400" y="300"/></Array>
    </mxGeometry>
  </mxCell>
  <mxCell id="e3" style="endArrow=classic;" edge="1" parent="pool" target="pool">
    <mxGeometry relative="1" as="geometry"><mxPoint x="10" y="10" as="sourcePoint"/></mxGeometry>
  </mxCell>
  <mxCell id="e1-label" value="yes" style="edgeLabel;html=1;" vertex="1" connectable="0" parent="e1">
    <mxGeometry x="-0.5" relative="1" as="geometry"><mxPoint as="offset"/></mxGeometry>
  </mxCell>
</root></mxGraphModel>`

describe('importing real-world-shaped draw.io files', () => {
  it('reads a bare mxGraphModel with two layers, wrappers, a container and edges', () => {
    const result = ok(REAL_WORLD_MODEL)
    // Six shapes: the edge's second label ("yes") is a text beside its arrow.
    expect([result.shapes, result.edges, result.unknownStencils]).toEqual([6, 3, 1])
    const wrapped = byLabel(result.records, 'Wrapped bold')
    expect(wrapped).toMatchObject({ type: 'geo', x: 40, y: 40, props: { geo: 'rectangle' } })
    expect(wrapped?.type === 'geo' && wrapped.props.color).toMatch(/blue/)
    const lane = shapes(result.records).find((s) => s.type === 'frame')!
    expect(lane).toMatchObject({ x: 300, y: 20, props: { name: 'Lane' } })
    const nested = byLabel(result.records, 'Nested')!
    expect(nested).toMatchObject({ parentId: lane.id, x: 50, y: 60, props: { geo: 'diamond' } })
    expect(byLabel(result.records, 'AWS thing')).toMatchObject({ props: { geo: 'rectangle', w: 78, h: 78 } })
  })

  it('binds edges to wrapped, nested and container cells and keeps free ends and waypoints', () => {
    const result = ok(REAL_WORLD_MODEL)
    const bindings = result.records.filter((r): r is TLArrowBinding => r.typeName === 'binding')
    const ids = new Map(shapes(result.records).map((s) => [s.id, s]))
    const arrows = shapes(result.records).filter((s) => s.type === 'arrow')
    const ends = (arrow: TLShape) =>
      bindings
        .filter((b) => b.fromId === arrow.id)
        .map((b) => `${b.props.terminal}:${label(ids.get(b.toId)) || ids.get(b.toId)?.type}`)
    const toNested = arrows.find((a) => label(a).startsWith('to nested'))!
    expect(ends(toNested).sort()).toEqual(['end:Nested', 'start:Wrapped bold'])
    expect(toNested).toMatchObject({ props: { kind: 'elbow', arrowheadEnd: 'triangle' } })
    // The edge's own value is the arrow's label; its edgeLabel child is a text of its own, beside it.
    expect(label(toNested)).toBe('to nested')
    expect(byLabel(result.records, 'yes')).toMatchObject({ type: 'text', parentId: FIRST_PAGE_ID })
    const curved = arrows.find((a) => ends(a).join() === 'start:AWS thing')!
    expect(curved.type === 'arrow' && curved.props.bend).not.toBe(0)
    expect(curved.type === 'arrow' && curved.x + curved.props.end.x).toBeCloseTo(500)
    const intoPool = arrows.find((a) => ends(a).join() === 'end:frame')!
    expect(intoPool).toMatchObject({ x: 310, y: 30 })
    for (const arrow of arrows) {
      for (const b of bindings.filter((x) => x.fromId === arrow.id))
        expect(arrow.index > ids.get(b.toId)!.index).toBe(true)
    }
  })

  it('strips scripts, handlers and javascript: URLs from HTML labels', () => {
    const result = ok(REAL_WORLD_MODEL)
    const shape = shapes(result.records).find((s) => s.type === 'geo' && s.props.geo === 'ellipse')!
    const json = JSON.stringify(shape)
    expect(label(shape)).toBe('safeclick\nfine')
    for (const bad of ['alert', 'script', 'onerror', 'javascript', '<']) expect(json).not.toContain(bad)
    expect(json).toContain('https://ok.example')
  })

  it('never reuses draw.io ids and gives two imports distinct ids', () => {
    const a = ok(REAL_WORLD_MODEL)
    const b = ok(REAL_WORLD_MODEL)
    const idsA = new Set(a.records.map((r) => r.id))
    expect(b.records.some((r) => idsA.has(r.id))).toBe(false)
    expect(a.records.some((r) => /obj-1|child|pool|stencil/.test(r.id))).toBe(false)
  })

  it('turns several diagrams (plain and compressed) into the current page plus new pages', () => {
    const file = `<mxfile host="app.diagrams.net"><diagram id="a" name="First">${REAL_WORLD_MODEL}</diagram><diagram id="b" name="Second">${compressDiagram(REAL_WORLD_MODEL)}</diagram></mxfile>`
    const result = mxfileToRecords(file, { pageId: FIRST_PAGE_ID, pageIndexAbove: 'a5' as never })
    if (!result.ok) throw new Error(result.error)
    const newPage = result.records.find((r) => r.typeName === 'page')
    expect(newPage?.typeName === 'page' && newPage.index > 'a5').toBe(true)
    expect(result.pages.map((p) => [p.name, p.created])).toEqual([
      ['First', false],
      ['Second', true],
    ])
    const second = result.pages[1]!.pageId
    expect(result.records.some((r) => r.id === second && r.typeName === 'page')).toBe(true)
    expect(shapes(result.records).filter((s) => s.parentId === second)).toHaveLength(8)
    expect(result.shapes).toBe(12)
  })

  it('reads a group with two children as a tldraw group with relative children', () => {
    const model = `<mxGraphModel><root><mxCell id="r"/><mxCell id="l" parent="r"/>
      <mxCell id="g" style="group" vertex="1" connectable="0" parent="l"><mxGeometry x="100" y="100" width="200" height="50" as="geometry"/></mxCell>
      <mxCell id="a" value="A" style="whiteSpace=wrap;" vertex="1" parent="g"><mxGeometry width="50" height="50" as="geometry"/></mxCell>
      <mxCell id="b" value="B" style="whiteSpace=wrap;" vertex="1" parent="g"><mxGeometry x="150" width="50" height="50" as="geometry"/></mxCell>
    </root></mxGraphModel>`
    const result = ok(model)
    const group = shapes(result.records).find((s) => s.type === 'group')!
    expect(byLabel(result.records, 'B')).toMatchObject({ parentId: group.id, x: 150, y: 0 })
    expect(boundsOf(result.records)).toEqual({ x: 100, y: 100, w: 200, h: 50 })
  })

  it('keeps a vertex hung directly on the root cell instead of taking it for a layer', () => {
    const model = `<mxGraphModel><root><mxCell id="r"/><mxCell id="v" value="On root" vertex="1" parent="r"><mxGeometry x="5" y="6" width="10" height="10" as="geometry"/></mxCell></root></mxGraphModel>`
    expect(byLabel(ok(model).records, 'On root')).toMatchObject({ x: 5, y: 6 })
  })

  it('reads .drawio.svg and .drawio.png files', () => {
    const mxfile = `<mxfile><diagram name="P">${compressDiagram(REAL_WORLD_MODEL)}</diagram></mxfile>`
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg" content="${mxfile.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"><g/></svg>`
    expect(ok(svg).shapes).toBe(6)
    expect(ok(pngWith('tEXt', encodeURIComponent(mxfile))).shapes).toBe(6)
    expect(ok(pngWith('zTXt', encodeURIComponent(mxfile))).shapes).toBe(6)
  })

  it('puts the top-left corner of the diagram at the origin and sorts above indexAbove', () => {
    const result = mxfileToRecords(REAL_WORLD_MODEL, {
      pageId: FIRST_PAGE_ID,
      origin: { x: 1000, y: 500 },
      indexAbove: 'a5' as never,
    })
    if (!result.ok) throw new Error(result.error)
    // The diagram's top-left is (40, 20) in the file (the lane's top): it lands on the origin.
    expect(boundsOf(result.records)).toMatchObject({ x: 1000, y: 500 })
    expect(byLabel(result.records, 'Wrapped bold')).toMatchObject({ x: 1000, y: 520 })
    expect(shapes(result.records).every((s) => s.index > 'a5')).toBe(true)
  })
})

/** A minimal PNG (signature + one text chunk + IEND); CRCs are not checked by the reader. */
function pngWith(type: 'tEXt' | 'zTXt', text: string): Uint8Array {
  const keyword = [...'mxfile'].map((c) => c.charCodeAt(0))
  const body = strToU8(text)
  const data = type === 'tEXt' ? [...keyword, 0, ...body] : [...keyword, 0, 0, ...zlibSync(body)]
  const chunk = (name: string, payload: number[]) => {
    const length = payload.length
    return [
      (length >>> 24) & 255,
      (length >>> 16) & 255,
      (length >>> 8) & 255,
      length & 255,
      ...[...name].map((c) => c.charCodeAt(0)),
      ...payload,
      0,
      0,
      0,
      0,
    ]
  }
  return new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...chunk(type, data),
    ...chunk('IEND', []),
  ])
}
