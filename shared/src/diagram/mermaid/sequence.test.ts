import { describe, expect, it } from 'vitest'
import { layoutDiagram } from '../layout'
import type { TextParse } from '../textParse'
import { parseMermaidSequence } from './sequence'

function parsed(text: string) {
  const result: TextParse = parseMermaidSequence(text)
  if (!result.ok) throw new Error(`line ${result.line}: ${result.error}`)
  return result
}

describe('sequence diagrams', () => {
  it('draws participants with lifelines and messages as arrows in order, top to bottom', async () => {
    const { spec } = parsed(`sequenceDiagram
      participant W as Web shop
      actor C as Customer
      C->>W: Places order
      W-->>C: Confirms
      W-)Pay: Charge card
      Pay--xW: Declined
      C<<->>W: Chat`)
    expect(spec.preset).toBe(true)
    const heads = spec.nodes.filter((n) => n.id.startsWith('head:'))
    expect(heads.map((n) => [n.label, n.shape, n.sourceShape])).toEqual([
      ['Web shop', 'rectangle', 'participant'],
      ['Customer', 'ellipse', 'actor'],
      ['Pay', 'rectangle', 'participant'],
    ])
    expect(spec.edges.map((e) => `${e.from}>${e.to}|${e.label}`)).toEqual([
      'C>W|Places order',
      'W>C|Confirms',
      'W>Pay|Charge card',
      'Pay>W|Declined',
      'C>W|Chat',
    ])
    expect(spec.edges[1]).toMatchObject({ dash: 'dashed', heads: { start: 'none', end: 'arrow' } })
    expect(spec.edges[3]?.heads).toEqual({ start: 'none', end: 'bar' })
    expect(spec.edges[4]?.heads).toEqual({ start: 'arrow', end: 'arrow' })
    // Fixed positions: each message lower than the one before, arrows flat between lifelines.
    const layout = await layoutDiagram(spec)
    const ys = layout.edges.map((e) => e.points[0]!.y)
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThan(ys[i - 1]!)
    for (const e of layout.edges) expect(e.points[0]!.y).toBeCloseTo(e.points.at(-1)!.y)
    const lifeline = layout.nodes.get('W')!
    expect(lifeline.h).toBeGreaterThan(lifeline.w * 10)
    // Columns left to right in order of appearance.
    expect(layout.nodes.get('head:W')!.x).toBeLessThan(layout.nodes.get('head:C')!.x)
    expect(layout.nodes.get('head:C')!.x).toBeLessThan(layout.nodes.get('head:Pay')!.x)
  })

  it('draws notes beside and over lifelines, blocks as frames, autonumbered messages', async () => {
    const result = parsed(`sequenceDiagram
      autonumber
      Alice->>John: Hello John
      Note right of John: Thinks
      loop Every minute
        John-->>Alice: Great!
      end
      alt is sick
        Bob->>Alice: Not so good
      else is well
        Bob->>Alice: Feeling fresh
      end
      Note over Alice,John: A typical interaction
      activate John
      John->>John: Self check`)
    const { spec } = result
    expect(spec.nodes.filter((n) => n.sourceShape === 'note').map((n) => n.label)).toEqual([
      'Thinks',
      'A typical interaction',
    ])
    expect(spec.groups?.map((g) => g.label)).toEqual(['loop: Every minute', 'alt: is sick'])
    expect(spec.nodes.find((n) => n.shape === 'text')?.label).toBe('else: is well')
    expect(spec.edges.map((e) => e.label)).toEqual([
      '1. Hello John',
      '2. Great!',
      '3. Not so good',
      '4. Feeling fresh',
      '5. Self check',
    ])
    expect(result.warnings.join(' ')).toMatch(/activation bars/)
    const layout = await layoutDiagram(spec)
    const loop = layout.groups.get(spec.groups![0]!.id)!
    const great = layout.edges[1]!.points[0]!
    expect(great.y).toBeGreaterThan(loop.y)
    expect(great.y).toBeLessThan(loop.y + loop.h)
  })

  it('groups participants in boxes and reads v11 participant types', () => {
    const { spec } = parsed(`sequenceDiagram
      box Aqua Front end
        participant UI
        participant API@{ "type": "boundary", "alias": "Public API" }
      end
      participant DB@{ "type": "database" }
      UI->>API: call
      API->>DB: query`)
    expect(spec.groups).toEqual([expect.objectContaining({ label: 'Front end' })])
    const box = spec.groups![0]!.id
    expect(spec.nodes.find((n) => n.id === 'head:UI')?.group).toBe(box)
    expect(spec.nodes.find((n) => n.id === 'head:API')).toMatchObject({
      label: 'Public API',
      sourceShape: 'boundary',
      group: box,
    })
    expect(spec.nodes.find((n) => n.id === 'head:DB')).toMatchObject({ sourceShape: 'database' })
    expect(spec.nodes.find((n) => n.id === 'head:DB')?.group).toBeUndefined()
  })

  it('reports the line of a statement it cannot read', () => {
    expect(parseMermaidSequence('sequenceDiagram\n  Alice->>Bob: hi\n  Alice says hi')).toMatchObject({
      ok: false,
      line: 3,
    })
  })
})
