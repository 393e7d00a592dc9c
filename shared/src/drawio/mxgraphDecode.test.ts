/**
 * draw.io's own model code (the `mxgraph` npm package, in jsdom) decodes our exports: every cell,
 * its geometry, label and edge terminals. Test-only dependencies: mxgraph, jsdom.
 */

import { getIndices } from '@tldraw/utils'
import { JSDOM } from 'jsdom'
import mxgraphFactory from 'mxgraph'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildPage,
  FIRST_PAGE_ID,
} from '../document/records'
import { decompressDiagram } from './codec'
import { recordsToMxfile } from './exportMxfile'

interface MxCell {
  id: string
  value: unknown
  vertex: boolean
  edge: boolean
  parent: MxCell | null
  source: MxCell | null
  target: MxCell | null
  geometry: { x: number; y: number; width: number; height: number; points: unknown[] | null } | null
}
interface MxModel {
  cells: Record<string, MxCell>
}
interface Mx {
  mxUtils: { parseXml(xml: string): { documentElement: unknown } }
  mxCodec: new (doc: unknown) => { decode(node: unknown, into: MxModel): void }
  mxGraphModel: new () => MxModel
}

const MX_CLASSES = ['mxGraphModel', 'mxCell', 'mxGeometry', 'mxPoint', 'mxRectangle']
let mx: Mx

beforeAll(() => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>')
  const globals = globalThis as Record<string, unknown>
  Object.assign(globals, {
    window: dom.window,
    document: dom.window.document,
    navigator: dom.window.navigator,
  })
  globals.XMLSerializer = dom.window.XMLSerializer
  globals.DOMParser = dom.window.DOMParser
  mx = mxgraphFactory({ mxLoadResources: false, mxLoadStylesheets: false, mxBasePath: '.' }) as unknown as Mx
  // mxCodec finds classes through window[name]; without these, geometry is silently dropped.
  for (const name of MX_CLASSES)
    (dom.window as unknown as Record<string, unknown>)[name] = (mx as unknown as Record<string, unknown>)[
      name
    ]
})

function board() {
  const [i1, i2, i3, i4, i5, i6] = getIndices(6)
  const frame = buildFrameShape({ x: 400, y: 0, w: 300, h: 200, name: 'Team', index: i1! })
  const a = buildGeoShape({ x: 0, y: 0, w: 120, h: 60, text: 'Start <&>', index: i2!, geo: 'ellipse' })
  const b = buildGeoShape({ x: 40, y: 50, w: 100, h: 50, text: 'Inside', parentId: frame.id, index: i3! })
  const note = buildNoteShape({ x: 0, y: 300, text: 'note', index: i4! })
  const bound = buildBoundArrow({
    from: { id: a.id, x: 120, y: 30 },
    to: { id: b.id, x: 440, y: 75 },
    index: i5!,
    text: 'go',
  })
  const free = buildBoundArrow({
    from: { id: a.id, x: 0, y: 0 },
    to: { id: b.id, x: 0, y: 0 },
    index: i6!,
  })[0]
  return {
    records: [
      buildPage({ id: FIRST_PAGE_ID, name: 'P' }),
      frame,
      a,
      b,
      note,
      ...bound,
      { ...free, x: 0, y: 500, props: { ...free.props, end: { x: 200, y: 0 }, bend: 30 } },
    ],
    a,
    b,
    frame,
  }
}

function decodeModel(modelXml: string): MxModel {
  const doc = mx.mxUtils.parseXml(modelXml)
  const model = new mx.mxGraphModel()
  new mx.mxCodec(doc).decode(doc.documentElement, model)
  return model
}

function diagramModels(xml: string, compressed: boolean): string[] {
  const bodies = [...xml.matchAll(/<diagram [^>]*>([\s\S]*?)<\/diagram>/g)].map((m) => m[1]!)
  return bodies.map((body) => {
    if (!compressed) return body
    const decoded = decompressDiagram(body, 1e8)
    if (!decoded.ok) throw new Error(decoded.error)
    return decoded.text
  })
}

describe('mxgraph decodes our exports', () => {
  for (const compressed of [false, true]) {
    it(`reads cells, geometry, labels and terminals (${compressed ? 'compressed' : 'plain'})`, () => {
      const { records, a, b, frame } = board()
      const [modelXml] = diagramModels(recordsToMxfile(records, { compressed }).xml, compressed)
      const model = decodeModel(modelXml!)
      const cells = Object.values(model.cells)
      expect(cells.filter((c) => c.vertex)).toHaveLength(4)
      expect(cells.filter((c) => c.edge)).toHaveLength(2)
      expect(model.cells[a.id]?.value).toBe('Start &lt;&amp;&gt;')
      expect(model.cells[a.id]?.geometry).toMatchObject({ x: 0, y: 0, width: 120, height: 60 })
      const inside = model.cells[b.id]!
      expect(inside.parent?.id).toBe(frame.id)
      expect(inside.geometry).toMatchObject({ x: 40, y: 50 })
      const boundEdge = cells.find((c) => c.edge && c.value === 'go')!
      expect([boundEdge.source?.id, boundEdge.target?.id]).toEqual([a.id, b.id])
      const freeEdge = cells.find((c) => c.edge && c !== boundEdge)!
      expect([freeEdge.source, freeEdge.target]).toEqual([null, null])
      expect(freeEdge.geometry?.points).toHaveLength(1)
      expect(freeEdge.geometry).toMatchObject({
        sourcePoint: { x: 0, y: 500 },
        targetPoint: { x: 200, y: 500 },
      })
    })
  }
})
