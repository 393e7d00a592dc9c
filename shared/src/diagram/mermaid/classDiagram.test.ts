import { describe, expect, it } from 'vitest'
import type { TextParse } from '../textParse'
import { parseMermaidClass } from './classDiagram'

function spec(text: string) {
  const result: TextParse = parseMermaidClass(text)
  if (!result.ok) throw new Error(`line ${result.line}: ${result.error}`)
  return result.spec
}

describe('class diagrams', () => {
  it('draws classes with their annotation, generics, attributes and methods', () => {
    const s = spec(`classDiagram
      class BankAccount {
        <<service>>
        +String owner
        +BigDecimal balance
        +deposit(amount) bool
        +withdrawal(amount)$
      }
      class Queue~T~
      Queue~T~ : +List~T~ items
      Queue : +push(T item)
      class Shape <<interface>>
      class Car["Car with a label"]`)
    const label = (id: string) => s.nodes.find((n) => n.id === id)?.label
    expect(label('BankAccount')).toBe(
      '«service»\nBankAccount\n────────────\n+String owner\n+BigDecimal balance\n────────────\n+deposit(amount) bool\n+withdrawal(amount)',
    )
    expect(label('Queue')).toBe('Queue<T>\n────────────\n+List<T> items\n────────────\n+push(T item)')
    expect(label('Shape')).toBe('«interface»\nShape')
    expect(label('Car')).toBe('Car with a label')
  })

  it('draws each relationship kind with its heads, line, label and cardinality', () => {
    const s = spec(`classDiagram
      Animal <|-- Duck : extends
      Car *-- Wheel
      Pond o-- Duck
      Driver --> Car : drives
      A -- B
      Duck ..> Food
      Duck ..|> Swimmer
      C .. D
      Customer "1" --> "*" Ticket : buys
      Animal <|--|> Zebra
      bar ()-- foo`)
    const edge = (from: string, to: string) => s.edges.find((e) => e.from === from && e.to === to)
    expect(edge('Animal', 'Duck')).toMatchObject({
      heads: { start: 'triangle', end: 'none' },
      label: 'extends',
    })
    expect(edge('Car', 'Wheel')?.heads).toEqual({ start: 'diamond', end: 'none' })
    expect(edge('Pond', 'Duck')?.heads).toEqual({ start: 'diamond', end: 'none' })
    expect(edge('Driver', 'Car')).toMatchObject({ heads: { start: 'none', end: 'arrow' }, label: 'drives' })
    expect(edge('A', 'B')?.heads).toEqual({ start: 'none', end: 'none' })
    expect(edge('Duck', 'Food')).toMatchObject({ dash: 'dashed', heads: { start: 'none', end: 'arrow' } })
    expect(edge('Duck', 'Swimmer')).toMatchObject({
      dash: 'dashed',
      heads: { start: 'none', end: 'triangle' },
    })
    expect(edge('C', 'D')?.dash).toBe('dashed')
    expect(edge('Customer', 'Ticket')?.label).toBe('buys (1 to *)')
    expect(edge('Animal', 'Zebra')?.heads).toEqual({ start: 'triangle', end: 'triangle' })
    // A lollipop end is an interface, not a class.
    expect(s.nodes.find((n) => n.sourceShape === 'lollipop')).toMatchObject({
      label: 'bar',
      shape: 'ellipse',
    })
    expect(s.nodes.some((n) => n.id === 'bar')).toBe(false)
  })

  it('draws namespaces as groups and notes as linked yellow boxes', () => {
    const s = spec(`classDiagram
      note "A general note"
      namespace Shapes {
        class Triangle
        class Square
      }
      note for Square "Four sides"
      Triangle <|-- Square`)
    expect(s.groups).toEqual([{ id: 'Shapes', label: 'Shapes' }])
    expect(s.nodes.find((n) => n.id === 'Square')?.group).toBe('Shapes')
    const notes = s.nodes.filter((n) => n.sourceShape === 'note')
    expect(notes.map((n) => [n.label, n.color])).toEqual([
      ['A general note', 'yellow'],
      ['Four sides', 'yellow'],
    ])
    expect(s.edges).toContainEqual({ from: notes[1]!.id, to: 'Square', dash: 'dashed', undirected: true })
  })
})
