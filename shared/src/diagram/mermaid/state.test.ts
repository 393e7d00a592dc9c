import { describe, expect, it } from 'vitest'
import type { TextParse } from '../textParse'
import { parseMermaidState } from './state'

function parsed(text: string) {
  const result: TextParse = parseMermaidState(text)
  if (!result.ok) throw new Error(`line ${result.line}: ${result.error}`)
  return result
}

describe('state diagrams', () => {
  it('draws states, start and end dots, and labelled transitions', () => {
    const { spec } = parsed(`stateDiagram-v2
      [*] --> Still
      Still --> [*]
      Still --> Moving : push
      Moving --> Crash %% a trailing comment
      state "Waiting for payment" as Waiting
      Crash --> Waiting
      Moving : The car moves`)
    const node = (id: string) => spec.nodes.find((n) => n.id === id)
    expect(node('root_start')).toMatchObject({ label: '', shape: 'ellipse', fill: 'fill' })
    expect(node('root_end')).toMatchObject({ label: '', shape: 'ellipse' })
    expect(node('Waiting')?.label).toBe('Waiting for payment')
    expect(node('Moving')?.label).toBe('The car moves')
    expect(spec.edges.map((e) => `${e.from}>${e.to}${e.label ? `|${e.label}` : ''}`)).toEqual([
      'root_start>Still',
      'Still>root_end',
      'Still>Moving|push',
      'Moving>Crash',
      'Crash>Waiting',
    ])
  })

  it('draws composite states as nested groups with their own start and end', () => {
    const { spec } = parsed(`stateDiagram-v2
      [*] --> First
      state First {
        direction LR
        [*] --> Second
        state Second {
          [*] --> inner
          inner --> [*]
        }
      }
      First --> Done`)
    expect(spec.groups).toEqual([
      { id: 'First', label: 'First', direction: 'right' },
      { id: 'Second', label: 'Second', parent: 'First' },
    ])
    expect(spec.nodes.find((n) => n.id === 'inner')?.group).toBe('Second')
    expect(spec.nodes.find((n) => n.id === 'First_start')?.group).toBe('First')
    // Transitions to a composite end at its frame.
    expect(spec.edges.map((e) => `${e.from}>${e.to}`)).toEqual([
      'root_start>First',
      'First_start>Second',
      'Second_start>inner',
      'inner>Second_end',
      'First>Done',
    ])
  })

  it('draws forks, joins, choices and notes, and says what it cannot draw', () => {
    const result = parsed(`stateDiagram-v2
      state fork_state <<fork>>
      state join_state <<join>>
      state if_state <<choice>>
      [*] --> fork_state
      fork_state --> A
      fork_state --> B
      A --> join_state
      B --> join_state
      join_state --> if_state
      if_state --> Small : n < 0
      note right of Small : Negative numbers
      note left of A
        Two lines
        of note
      end note
      state Active {
        [*] --> X
        --
        [*] --> Y
      }`)
    const node = (id: string) => result.spec.nodes.find((n) => n.id === id)
    expect(node('fork_state')).toMatchObject({ sourceShape: 'fork', fill: 'fill' })
    expect(node('if_state')).toMatchObject({ shape: 'diamond' })
    const notes = result.spec.nodes.filter((n) => n.sourceShape === 'note').map((n) => n.label)
    expect(notes).toEqual(['Negative numbers', 'Two lines\nof note'])
    expect(result.spec.edges.find((e) => e.label === 'n < 0')).toMatchObject({
      from: 'if_state',
      to: 'Small',
    })
    expect(result.warnings.join(' ')).toMatch(/concurrent regions/)
  })
})
