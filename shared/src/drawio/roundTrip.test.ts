import {
  b64Vecs,
  createShapeId,
  type TLArrowBinding,
  type TLRecord,
  type TLShape,
  toRichText,
} from '@tldraw/tlschema'
import { getIndices } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildPage,
  buildTextShape,
  FIRST_PAGE_ID,
} from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import { decompressDiagram } from './codec'
import { recordsToMxfile } from './exportMxfile'
import { GEO_TO_STYLE, type GeoKind } from './geoStyles'
import { mxfileToRecords } from './importMxfile'
import { richTextToPlain } from './richText'

const geoKinds = Object.keys(GEO_TO_STYLE) as GeoKind[]

function board(): TLRecord[] {
  const indices = getIndices(geoKinds.length + 10)
  let i = 0
  const next = () => indices[i++]!
  const page = buildPage({ id: FIRST_PAGE_ID, name: 'Main & <plans>' })
  const geos = geoKinds.map((geo, n) =>
    buildGeoShape({
      x: (n % 5) * 200,
      y: Math.floor(n / 5) * 150,
      w: 120,
      h: 80,
      geo,
      text: `${geo} <b>&</b>`,
      color: n % 2 ? 'blue' : 'red',
      fill: n % 3 ? 'solid' : 'none',
      index: next(),
    }),
  )
  const frame = buildFrameShape({ x: 1200, y: 0, w: 400, h: 300, name: 'Frame A', index: next() })
  const inFrame = buildGeoShape({
    x: 50,
    y: 60,
    w: 100,
    h: 50,
    text: 'inside',
    parentId: frame.id,
    index: next(),
    color: 'green',
    fill: 'fill',
  })
  const note = buildNoteShape({ x: 0, y: 800, text: 'sticky', color: 'orange', index: next() })
  const text = buildTextShape({ x: 300, y: 800, text: 'hello\nworld', w: 200, index: next() })
  const rotated = {
    ...buildGeoShape({ x: 600, y: 800, w: 100, h: 40, text: 'turned', index: next() }),
    rotation: Math.PI / 6,
    opacity: 0.5,
  }
  const [arrow, start, end] = buildBoundArrow({
    from: { id: geos[0]!.id, x: 120, y: 40 },
    to: { id: inFrame.id, x: 1250, y: 85 },
    index: next(),
    text: 'flows',
    color: 'violet',
  })
  const free = {
    ...buildBoundArrow({
      from: { id: geos[1]!.id, x: 0, y: 0 },
      to: { id: geos[2]!.id, x: 0, y: 0 },
      index: next(),
    })[0],
    x: 100,
    y: 1200,
    props: {
      ...buildBoundArrow({
        from: { id: geos[1]!.id, x: 0, y: 0 },
        to: { id: geos[2]!.id, x: 300, y: 0 },
        index: next(),
      })[0].props,
      bend: 40,
      arrowheadStart: 'dot' as const,
    },
  }
  const draw: TLShape = {
    id: createShapeId(),
    typeName: 'shape',
    type: 'draw',
    x: 800,
    y: 1200,
    rotation: 0,
    index: next(),
    parentId: FIRST_PAGE_ID,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'green',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      segments: [
        {
          type: 'free',
          path: b64Vecs.encodePoints(
            [
              { x: 0, y: 0 },
              { x: 10, y: 20 },
              { x: 30, y: 25 },
              { x: 60, y: 5 },
            ],
            2,
          ),
          dim: 2,
        },
      ],
      isComplete: true,
      isClosed: false,
      isPen: false,
      scale: 1,
      scaleX: 1,
      scaleY: 1,
    },
  }
  return [page, ...geos, frame, inFrame, note, text, rotated, arrow, start, end, free, draw]
}

const shapesOf = (records: TLRecord[]) => records.filter((r): r is TLShape => r.typeName === 'shape')
const label = (shape: TLShape) => ('richText' in shape.props ? richTextToPlain(shape.props.richText) : '')

describe('board → draw.io → board', () => {
  const source = board()
  const exported = recordsToMxfile(source)
  const imported = mxfileToRecords(exported.xml, { pageId: FIRST_PAGE_ID })

  it('exports everything and imports valid records with new ids', () => {
    expect(exported.unmapped).toEqual([])
    if (!imported.ok) throw new Error(imported.error)
    for (const record of imported.records) expect(validateDocumentRecord(record).ok).toBe(true)
    const oldIds = new Set(source.map((r) => r.id))
    expect(imported.records.some((r) => oldIds.has(r.id))).toBe(false)
    expect(imported.unknownStencils).toBe(0)
  })

  it('keeps each shape kind, geo kind, label, colour and bounds (±1 px)', () => {
    if (!imported.ok) throw new Error(imported.error)
    const before = shapesOf(source).filter((s) => s.type !== 'arrow' && s.type !== 'draw')
    const after = shapesOf(imported.records).filter((s) => s.type !== 'arrow' && s.type !== 'draw')
    expect(after.map((s) => s.type)).toEqual(before.map((s) => s.type))
    for (const [n, shape] of before.entries()) {
      const copy = after[n]!
      expect(label(copy)).toBe(label(shape))
      expect(Math.abs(copy.x - shape.x)).toBeLessThanOrEqual(1)
      expect(Math.abs(copy.y - shape.y)).toBeLessThanOrEqual(1)
      expect(copy.rotation).toBeCloseTo(shape.rotation, 5)
      expect(copy.opacity).toBeCloseTo(shape.opacity, 2)
      if (shape.type === 'geo' && copy.type === 'geo') {
        expect([copy.props.geo, copy.props.color, copy.props.fill, copy.props.dash, copy.props.size]).toEqual(
          [shape.props.geo, shape.props.color, shape.props.fill, shape.props.dash, shape.props.size],
        )
        expect(Math.abs(copy.props.w - shape.props.w)).toBeLessThanOrEqual(1)
        expect(Math.abs(copy.props.h - shape.props.h)).toBeLessThanOrEqual(1)
      }
      if (shape.type === 'note' && copy.type === 'note') expect(copy.props.color).toBe(shape.props.color)
      if (shape.type === 'frame' && copy.type === 'frame') expect(copy.props.name).toBe(shape.props.name)
    }
    const frame = after.find((s) => s.type === 'frame')!
    expect(after.filter((s) => s.parentId === frame.id).map(label)).toEqual(['inside'])
  })

  it('keeps arrow bindings, labels, arrowheads and bends', () => {
    if (!imported.ok) throw new Error(imported.error)
    const arrows = shapesOf(imported.records).filter((s) => s.type === 'arrow')
    expect(arrows).toHaveLength(2)
    const bindings = imported.records.filter((r): r is TLArrowBinding => r.typeName === 'binding')
    const byId = new Map(imported.records.map((r) => [r.id, r]))
    const bound = arrows.find((a) => label(a) === 'flows')!
    const ends = bindings.filter((b) => b.fromId === bound.id).map((b) => label(byId.get(b.toId) as TLShape))
    expect(ends.sort()).toEqual(['inside', 'rectangle <b>&</b>'].sort())
    expect(bound.type === 'arrow' && bound.props.color).toBe('violet')
    const free = arrows.find((a) => a !== bound)!
    expect(bindings.some((b) => b.fromId === free.id)).toBe(false)
    if (free.type !== 'arrow') throw new Error('not an arrow')
    expect(free.props.bend).toBeCloseTo(40, 0)
    expect(free.props.arrowheadStart).toBe('dot')
    for (const arrow of arrows) {
      for (const b of bindings.filter((x) => x.fromId === arrow.id))
        expect(arrow.index > (byId.get(b.toId) as TLShape).index).toBe(true)
    }
  })

  it('keeps freehand drawings as draw shapes through the same points', () => {
    if (!imported.ok) throw new Error(imported.error)
    const draw = shapesOf(imported.records).find((s) => s.type === 'draw')
    if (draw?.type !== 'draw') throw new Error('no draw shape')
    const points = draw.props.segments.flatMap((s) => b64Vecs.decodePoints(s.path, s.dim))
    expect(points).toHaveLength(4)
    expect(draw.x + points[3]!.x).toBeCloseTo(860, 0)
  })

  it('writes the compressed form draw.io reads: base64(deflateRaw(encodeURIComponent(xml)))', () => {
    const compressed = recordsToMxfile(source, { compressed: true })
    const payload = /<diagram [^>]*>([^<]+)<\/diagram>/.exec(compressed.xml)?.[1]
    const decoded = decompressDiagram(payload ?? '', 1e8)
    expect(decoded.ok && decoded.text.startsWith('<mxGraphModel')).toBe(true)
    const plainModel = /<diagram [^>]*>(<mxGraphModel[\s\S]*<\/mxGraphModel>)<\/diagram>/.exec(
      exported.xml,
    )?.[1]
    expect(decoded.ok && decoded.text).toBe(plainModel)
    const again = mxfileToRecords(compressed.xml, { pageId: FIRST_PAGE_ID })
    expect(again.ok && again.shapes).toBe(imported.ok && imported.shapes)
  })
})

describe('draw.io → board → draw.io', () => {
  it('keeps cell and edge counts and terminals', () => {
    const first = recordsToMxfile(board())
    const imported = mxfileToRecords(first.xml, { pageId: FIRST_PAGE_ID })
    if (!imported.ok) throw new Error(imported.error)
    const second = recordsToMxfile([
      buildPage({ id: FIRST_PAGE_ID, name: 'Main & <plans>' }),
      ...imported.records,
    ])
    const count = (xml: string, pattern: RegExp) => (xml.match(pattern) ?? []).length
    for (const pattern of [/ vertex="1"/g, / edge="1"/g, / source="/g, / target="/g]) {
      expect(count(second.xml, pattern)).toBe(count(first.xml, pattern))
    }
    expect(toRichText('x')).toBeTruthy()
  })
})
