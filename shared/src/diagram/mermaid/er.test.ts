import { describe, expect, it } from 'vitest'
import type { TextParse } from '../textParse'
import { parseMermaidEr } from './er'

function spec(text: string) {
  const result: TextParse = parseMermaidEr(text)
  if (!result.ok) throw new Error(`line ${result.line}: ${result.error}`)
  return result.spec
}

describe('entity-relationship diagrams', () => {
  it('draws entities with their attributes, keys and comments', () => {
    const s = spec(`erDiagram
      LIBRARY ||--o{ BOOK : holds
      BOOK {
        string isbn PK "ten or thirteen digits"
        string title
        int shelf FK, UK
      }
      m["Library member"] {
        string cardNumber
      }`)
    expect(s.nodes.find((n) => n.id === 'BOOK')?.label).toBe(
      'BOOK\n────────────\nstring isbn PK — ten or thirteen digits\nstring title\nint shelf FK,UK',
    )
    expect(s.nodes.find((n) => n.id === 'm')?.label).toBe('Library member\n────────────\nstring cardNumber')
    expect(s.nodes.find((n) => n.id === 'LIBRARY')?.label).toBe('LIBRARY')
  })

  it('labels relationships with their name and both cardinalities, dashed when non-identifying', () => {
    const s = spec(`erDiagram
      CUSTOMER ||--o{ ORDER : places
      ORDER ||--|{ "LINE ITEM" : contains
      PERSON }o..o| CAR : "may drive"
      CAR 1 to zero or more NAMED-DRIVER : allows
      PERSON many(0) optionally to 0+ NAMED-DRIVER : is
      PERSON:::highlight ||--|| PASSPORT : holds`)
    expect(s.edges.map((e) => [e.from, e.to, e.label, e.dash ?? 'solid'])).toEqual([
      ['CUSTOMER', 'ORDER', 'places (1 to 0..*)', 'solid'],
      ['ORDER', 'LINE ITEM', 'contains (1 to 1..*)', 'solid'],
      ['PERSON', 'CAR', 'may drive (0..* to 0..1)', 'dashed'],
      ['CAR', 'NAMED-DRIVER', 'allows (1 to 0..*)', 'solid'],
      ['PERSON', 'NAMED-DRIVER', 'is (0..* to 0..*)', 'dashed'],
      ['PERSON', 'PASSPORT', 'holds (1 to 1)', 'solid'],
    ])
    expect(s.edges.every((e) => e.undirected)).toBe(true)
    expect(s.nodes.map((n) => n.id)).not.toContain('PERSON:::highlight')
  })
})
