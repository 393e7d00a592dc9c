import type { TLArrowBinding, TLArrowShape, TLRecord, TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import { richTextToPlain } from '../drawio/richText'
import { layoutDiagram } from './layout'
import { parseMermaidFlowchart, parseMermaidSequence } from './mermaid'
import { syntheticDiagram } from './sampleDiagrams'
import { type DiagramSpec, NODE_SHAPES } from './spec'
import { diagramToRecords } from './toRecords'

const HOSTILE = [
  'x'.repeat(500),
  '<script>alert(1)</script>',
  '🙂🚀 emoji ünïcödé 中文',
  '',
  '"quotes" & \\ back\nslash',
]

const everyKind: DiagramSpec = {
  title: 'Every kind',
  direction: 'right',
  groups: [
    { id: 'outer', label: '<b>Outer</b>' },
    { id: 'inner', label: '', parent: 'outer' },
  ],
  nodes: [
    ...NODE_SHAPES.map((shape, i) => ({
      id: `k-${shape}`,
      label: HOSTILE[i % HOSTILE.length]!,
      shape,
      color: 'blue' as const,
      fill: 'solid' as const,
      ...(i % 3 === 0 ? { group: 'inner' } : i % 3 === 1 ? { group: 'outer' } : {}),
    })),
    { id: 'plain', label: 'Plain' },
  ],
  edges: [
    ...NODE_SHAPES.map((shape, i) => ({
      from: `k-${shape}`,
      to: 'plain',
      label: HOSTILE[(i + 1) % HOSTILE.length]!,
      dash: (['draw', 'solid', 'dashed', 'dotted'] as const)[i % 4],
      ...(i % 3 === 0 ? { bidirectional: true } : i % 3 === 1 ? { undirected: true } : {}),
    })),
    { from: 'k-note', to: 'k-text' },
  ],
}

async function recordsFor(spec: DiagramSpec, keyPrefix = 'job1-') {
  const layout = await layoutDiagram(spec)
  return diagramToRecords(layout, spec, { origin: { x: 1000, y: -500 }, pageId: FIRST_PAGE_ID, keyPrefix })
}

describe('diagramToRecords', () => {
  it('builds valid records for every node shape, groups, arrows and hostile labels', async () => {
    const { records, shapeIds, frameIds, arrowIds } = await recordsFor(everyKind)
    for (const record of records) {
      const result = validateDocumentRecord(record)
      expect(result.ok, result.ok ? '' : result.error).toBe(true)
    }
    const shapes = records.filter((r): r is TLShape => r.typeName === 'shape')
    const bindings = records.filter((r): r is TLArrowBinding => r.typeName === 'binding')
    expect(shapeIds.size).toBe(everyKind.nodes.length)
    expect(frameIds.size).toBe(2)
    expect(arrowIds).toHaveLength(everyKind.edges.length)
    expect(bindings).toHaveLength(2 * arrowIds.length)
    expect(shapes).toHaveLength(1 + 2 + everyKind.nodes.length + arrowIds.length)
    for (const shape of shapes) expect(shape.meta).toEqual({ jobKey: 'job1-' })
    const byId = new Map(shapes.map((s) => [s.id, s]))
    const kinds = (shape: string) => byId.get(shapeIds.get(`k-${shape}`)!)!
    expect(kinds('note').type).toBe('note')
    expect(kinds('text').type).toBe('text')
    expect(kinds('parallelogram')).toMatchObject({ type: 'geo', props: { geo: 'rhombus' } })
    expect(kinds('diamond')).toMatchObject({ props: { geo: 'diamond', color: 'blue', fill: 'solid' } })
    // Labels are kept as plain text in richText, script tags and all.
    const script = shapes.find(
      (s) => 'richText' in s.props && richTextToPlain(s.props.richText).includes('<script>'),
    )
    expect(script).toBeDefined()
    // Frames hold their nodes in relative coordinates; the inner frame sits in the outer one.
    const inner = byId.get(frameIds.get('inner')!)!
    expect(inner.parentId).toBe(frameIds.get('outer'))
    expect(inner.x).toBeGreaterThanOrEqual(0)
    const innerNode = kinds('rectangle')
    expect(innerNode.parentId).toBe(frameIds.get('inner'))
    expect(innerNode.x).toBeGreaterThanOrEqual(0)
    expect(innerNode.x + (innerNode.props as { w: number }).w).toBeLessThanOrEqual(
      (inner.props as { w: number }).w,
    )
    // Every arrow is above every non-arrow shape, and bound at both ends to the right shapes.
    const top = shapes
      .filter((s) => s.type !== 'arrow')
      .map((s) => s.index)
      .sort()
      .at(-1)!
    for (const id of arrowIds) {
      const arrow = byId.get(id) as TLArrowShape
      expect(arrow.index > top).toBe(true)
      expect(arrow.props.kind).toBe('elbow')
      const ends = bindings.filter((b) => b.fromId === id)
      expect(ends.map((b) => b.props.terminal).sort()).toEqual(['end', 'start'])
    }
    const both = byId.get(arrowIds[0]!) as TLArrowShape
    expect([both.props.arrowheadStart, both.props.arrowheadEnd]).toEqual(['arrow', 'arrow'])
    const none = byId.get(arrowIds[1]!) as TLArrowShape
    expect([none.props.arrowheadStart, none.props.arrowheadEnd]).toEqual(['none', 'none'])
    // Notes taller than their square carry growY.
    const longNote = { nodes: [{ id: 'n', label: 'word '.repeat(80), shape: 'note' as const }], edges: [] }
    const note = (await recordsFor(longNote)).records[0] as TLShape
    expect((note.props as { growY: number }).growY).toBeGreaterThan(0)
  })

  it('is deterministic: the same job gives the same ids and records; another job other ids', async () => {
    const spec = syntheticDiagram(30, { groups: 3, seed: 5 })
    const one = await recordsFor(spec)
    const two = await recordsFor(spec)
    expect(two.records).toEqual(one.records)
    const other = await recordsFor(spec, 'job2-')
    const ids = new Set(one.records.map((r) => r.id))
    expect(other.records.some((r) => ids.has(r.id))).toBe(false)
    expect(ids.size).toBe(one.records.length)
    for (const record of one.records) expect(record.id.includes('job1-')).toBe(true)
  })

  it('keeps ids apart for node ids that sanitise alike, and stacks above indexAbove', async () => {
    const spec: DiagramSpec = {
      nodes: [
        { id: 'a b', label: '1' },
        { id: 'a_b', label: '2' },
        { id: 'a/b', label: '3' },
      ],
      edges: [
        { from: 'a b', to: 'a_b' },
        { from: 'a b', to: 'a_b' },
      ],
    }
    const layout = await layoutDiagram(spec)
    const { records, shapeIds } = diagramToRecords(layout, spec, {
      origin: { x: 0, y: 0 },
      pageId: FIRST_PAGE_ID,
      keyPrefix: 'k-',
      indexAbove: 'a5' as never,
    })
    expect(new Set(shapeIds.values()).size).toBe(3)
    expect(new Set(records.map((r: TLRecord) => r.id)).size).toBe(records.length)
    for (const r of records) if (r.typeName === 'shape') expect(r.index > 'a5').toBe(true)
  })
})

describe('diagramToRecords placement', () => {
  it('puts the diagram at `origin` on the page: top-level nodes, frames and arrows are moved by it', async () => {
    const spec: DiagramSpec = {
      groups: [{ id: 'g', label: 'Group' }],
      nodes: [
        { id: 'a', label: 'A' },
        { id: 'b', label: 'B', group: 'g' },
      ],
      edges: [{ from: 'a', to: 'b' }],
    }
    const layout = await layoutDiagram(spec)
    const at = (origin: { x: number; y: number }) =>
      diagramToRecords(layout, spec, { origin, pageId: FIRST_PAGE_ID, keyPrefix: 'p-' })
    const home = at({ x: 0, y: 0 })
    const moved = at({ x: 1000, y: -500 })
    const byId = (records: TLRecord[]) =>
      new Map(records.filter((r): r is TLShape => r.typeName === 'shape').map((r) => [r.id, r]))
    const before = byId(home.records)
    const after = byId(moved.records)
    for (const [id, shape] of after) {
      const original = before.get(id)!
      if (shape.parentId === FIRST_PAGE_ID) {
        expect([shape.x - original.x, shape.y - original.y], id).toEqual([1000, -500])
      } else {
        // Inside a frame: relative to the frame, so unchanged.
        expect([shape.x, shape.y], id).toEqual([original.x, original.y])
      }
    }
    const a = after.get(moved.shapeIds.get('a')!)!
    expect(a).toMatchObject({ x: 1000 + layout.nodes.get('a')!.x, y: -500 + layout.nodes.get('a')!.y })
  })
})

describe('diagramToRecords for Mermaid', () => {
  const endsOf = (records: TLRecord[], arrow: string) =>
    records.filter((r): r is TLArrowBinding => r.typeName === 'binding' && r.fromId === arrow)

  it('binds a link to a subgraph to its frame, and draws no invisible link', async () => {
    const parsed = parseMermaidFlowchart(`flowchart LR
      subgraph one [Team]
        a1 --> a2
      end
      start --> one --> finish
      a2 ~~~ finish`)
    if (!parsed.ok) throw new Error(parsed.error)
    const { records, frameIds, shapeIds, arrowIds } = await recordsFor(parsed.spec)
    expect(arrowIds).toHaveLength(3)
    const toFrame = endsOf(records, arrowIds[1]!)
    expect(toFrame.find((b) => b.props.terminal === 'start')?.toId).toBe(shapeIds.get('start'))
    expect(toFrame.find((b) => b.props.terminal === 'end')?.toId).toBe(frameIds.get('one'))
    const fromFrame = endsOf(records, arrowIds[2]!)
    expect(fromFrame.find((b) => b.props.terminal === 'start')?.toId).toBe(frameIds.get('one'))
    for (const record of records) expect(validateDocumentRecord(record).ok).toBe(true)
  })

  it('draws a link from a node to itself as a loop out of its corner', async () => {
    const parsed = parseMermaidFlowchart('flowchart LR\n  retry[Retry] --> retry --> done')
    if (!parsed.ok) throw new Error(parsed.error)
    const { records, shapeIds, arrowIds } = await recordsFor(parsed.spec)
    expect(arrowIds).toHaveLength(2)
    const loop = endsOf(records, arrowIds[0]!)
    expect(loop.map((b) => b.toId)).toEqual([shapeIds.get('retry'), shapeIds.get('retry')])
    expect(loop.map((b) => b.props.normalizedAnchor)).toEqual([
      { x: 0.75, y: 0 },
      { x: 1, y: 0.35 },
    ])
    const arrow = records.find((r) => r.id === arrowIds[0]) as TLArrowShape
    expect(arrow.props.kind).toBe('arc')
    expect(arrow.props.bend).not.toBe(0)
  })

  it('keeps Mermaid’s shape name in the meta, and draws heads and colours', async () => {
    const parsed = parseMermaidFlowchart(`flowchart LR
      db@{ shape: cyl, label: "Orders" } --o q[Queue]
      linkStyle 0 stroke:#f00`)
    if (!parsed.ok) throw new Error(parsed.error)
    const { records, shapeIds, arrowIds } = await recordsFor(parsed.spec)
    const db = records.find((r) => r.id === shapeIds.get('db')) as TLShape
    expect(db.meta).toMatchObject({ mermaidShape: 'cyl' })
    const arrow = records.find((r) => r.id === arrowIds[0]) as TLArrowShape
    expect(arrow.props).toMatchObject({ arrowheadStart: 'none', arrowheadEnd: 'dot', color: 'red' })
  })

  it('binds sequence messages to their lifelines at their row, exactly', async () => {
    const parsed = parseMermaidSequence('sequenceDiagram\n  A->>B: one\n  B-->>A: two\n  A->>B: three')
    if (!parsed.ok) throw new Error(parsed.error)
    const { records, shapeIds, arrowIds } = await recordsFor(parsed.spec)
    const anchors = arrowIds.map((id) => endsOf(records, id).find((b) => b.props.terminal === 'start')!)
    expect(anchors.map((b) => b.toId)).toEqual([shapeIds.get('A'), shapeIds.get('B'), shapeIds.get('A')])
    for (const b of anchors) expect(b.props.isPrecise).toBe(true)
    const ys = anchors.map((b) => b.props.normalizedAnchor.y)
    expect(ys[0]).toBeLessThan(ys[1]!)
    expect(ys[1]).toBeLessThan(ys[2]!)
    const arrow = records.find((r) => r.id === arrowIds[1]) as TLArrowShape
    expect(arrow.props).toMatchObject({ kind: 'arc', dash: 'dashed' })
    for (const record of records) expect(validateDocumentRecord(record).ok).toBe(true)
  })
})
