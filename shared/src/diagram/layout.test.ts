import { describe, expect, it } from 'vitest'
import { nodeSize, wrapText } from './labelSize'
import { type Box, layoutDiagram } from './layout'
import { syntheticDiagram } from './sampleDiagrams'
import type { DiagramSpec } from './spec'

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h

function expectNoOverlaps(boxes: Box[]): void {
  const sorted = [...boxes].sort((a, b) => a.x - b.x)
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.x < sorted[i]!.x + sorted[i]!.w; j++) {
      expect(overlaps(sorted[i]!, sorted[j]!), JSON.stringify([sorted[i], sorted[j]])).toBe(false)
    }
  }
}

async function checkLayout(spec: DiagramSpec) {
  const layout = await layoutDiagram(spec)
  expect(layout.nodes.size).toBe(spec.nodes.length)
  expectNoOverlaps([...layout.nodes.values()])
  for (const node of spec.nodes) {
    const box = layout.nodes.get(node.id)!
    const need = nodeSize(node.label, node.shape)
    expect(box.w).toBe(need.w)
    expect(box.h).toBe(need.h)
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.x + box.w).toBeLessThanOrEqual(layout.width)
    expect(box.y + box.h).toBeLessThanOrEqual(layout.height)
    if (node.group) expect(inside(box, layout.groups.get(node.group)!)).toBe(true)
  }
  // Groups at one level do not overlap each other or the nodes beside them.
  const levels = new Map<string | undefined, Box[]>()
  for (const group of spec.groups ?? []) {
    const box = layout.groups.get(group.id)!
    levels.set(group.parent, [...(levels.get(group.parent) ?? []), box])
    if (group.parent) expect(inside(box, layout.groups.get(group.parent)!)).toBe(true)
  }
  for (const node of spec.nodes) levels.get(node.group)?.push(layout.nodes.get(node.id)!)
  for (const boxes of levels.values()) expectNoOverlaps(boxes)
  expect(layout.edges).toHaveLength(spec.edges.length)
  for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2)
  return layout
}

describe('layoutDiagram', () => {
  it('lays out 30 nodes with groups without overlaps', async () => {
    await checkLayout(syntheticDiagram(30, { groups: 3 }))
  })

  it('lays out 200 nodes / 300 edges without overlaps', async () => {
    await checkLayout(syntheticDiagram(200, { groups: 8, seed: 7 }))
    await checkLayout(syntheticDiagram(200, { seed: 3 }))
  })

  it('follows the direction, nests groups, reserves the title and gives edge labels room', async () => {
    const chain: DiagramSpec = {
      title: 'Checkout',
      direction: 'down',
      nodes: [
        { id: 'a', label: 'Cart', group: 'outer' },
        { id: 'b', label: 'Pay?', shape: 'diamond', group: 'inner' },
        { id: 'c', label: 'Done', shape: 'ellipse' },
      ],
      edges: [
        { from: 'a', to: 'b', label: 'checkout' },
        { from: 'b', to: 'c', label: 'yes' },
      ],
      groups: [
        { id: 'outer', label: 'Shop' },
        { id: 'inner', label: 'Payments', parent: 'outer' },
      ],
    }
    const layout = await checkLayout(chain)
    const [a, b, c] = ['a', 'b', 'c'].map((id) => layout.nodes.get(id)!)
    expect(a!.y + a!.h).toBeLessThan(b!.y)
    expect(b!.y + b!.h).toBeLessThan(c!.y)
    expect(layout.title).toBeDefined()
    expect(Math.min(...[...layout.groups.values()].map((g) => g.y))).toBeGreaterThan(layout.title!.h)
    expect(layout.edges[0]?.label).toBeDefined()
    const right = await layoutDiagram({ ...chain, direction: 'right', title: undefined })
    expect(right.nodes.get('c')!.x).toBeGreaterThan(right.nodes.get('b')!.x + right.nodes.get('b')!.w)
  })

  it('handles empty specs and empty groups', async () => {
    const empty = await layoutDiagram({ nodes: [], edges: [] })
    expect(empty).toMatchObject({ width: 0, height: 0 })
    const lonely = await layoutDiagram({ nodes: [], edges: [], groups: [{ id: 'g', label: 'Empty' }] })
    expect(lonely.groups.get('g')).toMatchObject({ w: 200, h: 100 })
  })

  it('is deterministic', async () => {
    const spec = syntheticDiagram(40, { groups: 2, seed: 9 })
    const [one, two] = await Promise.all([layoutDiagram(spec), layoutDiagram(spec)])
    expect([...one.nodes]).toEqual([...two.nodes])
  })
})

describe('label sizes', () => {
  it('grow boxes with their labels and keep minimums', () => {
    // One line of 22 px text plus tldraw's 16 px label padding is ~62 px: 70 once rounded.
    expect(nodeSize('')).toEqual({ w: 120, h: 70 })
    const long = nodeSize('word '.repeat(100))
    expect(long.w).toBeLessThanOrEqual(260)
    expect(long.h).toBeGreaterThan(600)
    expect(nodeSize('Is it paid?', 'diamond').w).toBeGreaterThan(nodeSize('Is it paid?').w)
    expect(nodeSize('x', 'note')).toEqual({ w: 200, h: 200 })
    expect(nodeSize('a'.repeat(500)).w).toBeLessThanOrEqual(260)
    expect(wrapText('🙂'.repeat(40), 200, 22).length).toBeGreaterThan(3)
  })
})
