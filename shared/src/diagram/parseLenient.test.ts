import { describe, expect, it } from 'vitest'
import { MAX_PROBLEMS } from './lenientValues'
import { parseDiagramSpecLeniently } from './parseLenient'
import { parseEditOperationsLeniently } from './parseLenientEdits'
import { AgentPlanSchema, DiagramSpecSchema, EditOperationSchema } from './spec'

const GARBAGE: unknown[] = [
  undefined,
  null,
  0,
  -1.5,
  Number.NaN,
  true,
  '',
  'not json',
  '{"nodes": [',
  '[]',
  '"a string"',
  [],
  [1, 2, 3],
  {},
  { nodes: 'x', edges: 7, groups: { a: 1 } },
  { nodes: [null, 1, 'a', [], { id: {} }, { id: [] }, { label: {} }], edges: [null, {}, { from: 1 }] },
  { spec: { nodes: { nested: { deeper: [[[[]]]] } } } },
  { operations: 'no' },
  JSON.parse('{"__proto__": {"polluted": true}, "nodes": [{"id": "__proto__", "label": "x"}]}'),
]

describe('parseDiagramSpecLeniently', () => {
  it('never throws on garbage and always returns a valid spec', () => {
    for (const input of GARBAGE) {
      const { spec, problems } = parseDiagramSpecLeniently(input)
      expect(DiagramSpecSchema.safeParse(spec).success).toBe(true)
      expect(Array.isArray(problems)).toBe(true)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps the valid parts and says what was wrong with the rest', () => {
    const { spec, problems } = parseDiagramSpecLeniently(
      JSON.stringify({
        title: 'Shop',
        direction: 'LR',
        groups: [{ id: 'g', label: 'Backend' }, { label: 'No id group' }, 'junk'],
        nodes: [
          { id: 'api', label: 'API', shape: 'box', color: 'Purple', group: 'g' },
          { id: 'db', label: 'DB', shape: 'cylinder-ish', fill: 'solid', group: 'missing' },
          { id: 'api', label: 'duplicate' },
          { label: 'Cache' },
          { id: 42, label: 7 },
          { id: '', label: 'empty id' },
          { id: 'x'.repeat(500), label: 'long id' },
          { id: 'long', label: 'y'.repeat(2000) },
        ],
        edges: [
          { from: 'api', to: 'db', label: 'reads', dash: 'dash' },
          { from: 'api', to: 'nowhere' },
          { from: 'api', to: 'api' },
          { source: 'Cache', target: 'db' },
          { from: 42, to: 'api', bidirectional: 'true' },
          { to: 'db' },
        ],
      }),
    )
    expect(spec.title).toBe('Shop')
    expect(spec.direction).toBe('right')
    expect(spec.groups).toEqual([
      { id: 'g', label: 'Backend' },
      { id: 'No id group', label: 'No id group' },
    ])
    expect(spec.nodes.map((n) => n.id)).toEqual(['api', 'db', 'Cache', '42', 'long'])
    expect(spec.nodes[0]).toEqual({
      id: 'api',
      label: 'API',
      shape: 'rectangle',
      color: 'violet',
      group: 'g',
    })
    expect(spec.nodes[1]).toEqual({ id: 'db', label: 'DB', fill: 'solid' })
    expect(spec.nodes[4]?.label).toHaveLength(500)
    expect(spec.edges).toEqual([
      { from: 'api', to: 'db', label: 'reads', dash: 'dashed' },
      { from: 'Cache', to: 'db' },
      { from: '42', to: 'api', bidirectional: true },
    ])
    const text = problems.join('\n')
    for (const words of [
      'used twice',
      'cylinder-ish',
      'group "missing"',
      'nowhere',
      'itself',
      'no usable id',
      'cut to 500',
    ])
      expect(text).toContain(words)
  })

  it('caps 10,000 nodes at the limit, with a bounded problem list', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) =>
      i % 2 ? { id: `n${i}`, label: `N ${i}` } : { junk: i },
    )
    const { spec, problems } = parseDiagramSpecLeniently({
      nodes,
      edges: nodes.map((_, i) => ({ from: `n${i}`, to: 'n1' })),
    })
    expect(spec.nodes).toHaveLength(250)
    expect(spec.edges.length).toBeLessThanOrEqual(1000)
    expect(problems.length).toBeLessThanOrEqual(MAX_PROBLEMS + 1)
    expect(problems[0]).toMatch(/9500 nodes beyond the limit of 500/)
    expect(problems.at(-1)).toMatch(/more problems/)
  })

  it('accepts a { spec } wrapper and a plan validates against AgentPlanSchema', () => {
    const { spec } = parseDiagramSpecLeniently({ spec: { nodes: [{ id: 'a', label: 'A' }], edges: [] } })
    expect(AgentPlanSchema.safeParse({ kind: 'diagram', spec }).success).toBe(true)
    expect(AgentPlanSchema.safeParse({ kind: 'answer', text: 'hi' }).success).toBe(true)
    expect(AgentPlanSchema.safeParse({ kind: 'edit', operations: [{ op: 'nope' }] }).success).toBe(false)
  })
})

describe('parseEditOperationsLeniently', () => {
  it('never throws on garbage', () => {
    for (const input of GARBAGE) {
      const { operations, problems } = parseEditOperationsLeniently(input)
      for (const op of operations) expect(EditOperationSchema.safeParse(op).success).toBe(true)
      expect(Array.isArray(problems)).toBe(true)
    }
  })

  it('keeps each valid operation and explains the rest', () => {
    const { operations, problems } = parseEditOperationsLeniently({
      operations: [
        { op: 'restyle', id: 's3', color: 'red' },
        { op: 'restyle', id: 's3' },
        { op: 'remove', id: 's4' },
        { op: 'add', node: { id: 'cache', label: 'Cache', shape: 'cylinder' }, near: 's3' },
        { op: 'add', node: { id: 'cache', label: 'again' } },
        { op: 'connect', from: 's3', to: 'cache', label: 'reads' },
        { op: 'connect', from: 's3', to: 's3' },
        { op: 'disconnect', from: 's3' },
        { op: 'move', id: 's5', dx: '40', dy: -20 },
        { op: 'move', id: 's5', dx: 1e12, dy: 0 },
        { op: 'update', id: 's6', label: 'New name' },
        { op: 'update', id: 's6' },
        { op: 'explode', id: 's1' },
        'junk',
      ],
    })
    expect(operations).toEqual([
      { op: 'restyle', id: 's3', color: 'red' },
      { op: 'delete', id: 's4' },
      { op: 'add', node: { id: 'cache', label: 'Cache', shape: 'rectangle' }, near: 's3' },
      { op: 'connect', from: 's3', to: 'cache', label: 'reads' },
      { op: 'move', id: 's5', dx: 40, dy: -20 },
      { op: 'update', id: 's6', label: 'New name' },
    ])
    expect(problems).toHaveLength(8)
    expect(problems.join('\n')).toMatch(/explode/)
  })

  it('reads a bare list, a single operation and JSON text', () => {
    expect(parseEditOperationsLeniently([{ op: 'delete', id: 's1' }]).operations).toHaveLength(1)
    expect(parseEditOperationsLeniently({ op: 'delete', id: 's1' }).operations).toHaveLength(1)
    expect(parseEditOperationsLeniently('[{"op":"delete","id":"s1"}]').operations).toHaveLength(1)
    const cut = parseEditOperationsLeniently('[{"op":"delete","id":"s1"}, {"op":')
    expect(cut.operations).toHaveLength(0)
    expect(cut.problems[0]).toMatch(/not valid JSON/)
  })
})
