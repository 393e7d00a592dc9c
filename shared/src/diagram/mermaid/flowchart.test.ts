import { describe, expect, it } from 'vitest'
import { DiagramSpecSchema } from '../spec'
import type { TextParse } from '../textParse'
import { parseMermaidFlowchart } from './flowchart'
import { catalogueShape, MERMAID_SHAPE_NAMES } from './shapes'

function parsed(text: string) {
  const result: TextParse = parseMermaidFlowchart(text)
  if (!result.ok) throw new Error(`line ${result.line}: ${result.error}`)
  expect(DiagramSpecSchema.safeParse(result.spec).success).toBe(true)
  return result
}
const spec = (text: string) => parsed(text).spec
const node = (s: ReturnType<typeof spec>, id: string) => s.nodes.find((n) => n.id === id)
const links = (s: ReturnType<typeof spec>) =>
  s.edges.map((e) => `${e.from}>${e.to}${e.label ? `|${e.label}` : ''}`)

describe('flowchart: the shape catalogue (A@{ shape, label })', () => {
  it('maps every short name and alias to the nearest tldraw shape and keeps Mermaid’s name', () => {
    const s = spec(`flowchart TD
      A@{ shape: cyl, label: "Orders DB" } --> B@{ shape: doc, label: "Invoice" }
      C@{ shape: diamond, label: "Ok?" } --> D@{ shape: database }
      E@{ shape: lean-l, label: "Out" } & F@{ shape: sm-circ } --> G@{ shape: brace, label: "comment" }
      H@{ shape: processes }`)
    expect(node(s, 'A')).toMatchObject({ label: 'Orders DB', shape: 'rectangle', sourceShape: 'cyl' })
    expect(node(s, 'B')).toMatchObject({ label: 'Invoice', sourceShape: 'doc' })
    expect(node(s, 'C')).toMatchObject({ label: 'Ok?', shape: 'diamond', sourceShape: 'diam' })
    // An alias is stored as its short name; without a label the id is the text.
    expect(node(s, 'D')).toMatchObject({ label: 'D', sourceShape: 'cyl' })
    expect(node(s, 'E')).toMatchObject({ shape: 'parallelogram', sourceShape: 'lean-l' })
    expect(node(s, 'F')).toMatchObject({ shape: 'ellipse', sourceShape: 'sm-circ' })
    expect(node(s, 'G')).toMatchObject({ shape: 'text', sourceShape: 'brace' })
    expect(node(s, 'H')).toMatchObject({ sourceShape: 'st-rect' })
    expect(links(s)).toEqual(['A>B', 'C>D', 'E>G', 'F>G'])
  })

  it('knows all of Mermaid 11’s shapes, and says so when a name is not one', () => {
    expect(MERMAID_SHAPE_NAMES.length).toBeGreaterThanOrEqual(48)
    for (const name of [
      'rect',
      'rounded',
      'stadium',
      'subproc',
      'cyl',
      'circle',
      'odd',
      'diamond',
      'hex',
      'lean-r',
      'lean-l',
      'trap-b',
      'trap-t',
      'dbl-circ',
      'text',
      'notch-rect',
      'lin-rect',
      'sm-circ',
      'fr-circ',
      'fork',
      'hourglass',
      'brace',
      'bolt',
      'doc',
      'delay',
      'das',
      'lin-cyl',
      'curv-trap',
      'div-rect',
      'tri',
      'win-pane',
      'f-circ',
      'lin-doc',
      'notch-pent',
      'flip-tri',
      'sl-rect',
      'docs',
      'processes',
      'bow-rect',
      'flag',
      'cross-circ',
      'tag-doc',
      'tag-rect',
      'paper-tape',
      'manual-file',
      'manual-input',
    ])
      expect(catalogueShape(name), name).not.toBeNull()
    const result = parsed('flowchart LR\n  A@{ shape: blob, label: "B" }')
    expect(node(result.spec, 'A')).toMatchObject({ label: 'B' })
    expect(result.warnings.join(' ')).toMatch(/no shape "blob"; drawn as a rectangle/)
  })

  it('reads shape data over several lines, and icon / image nodes as their labelled shape with a warning', () => {
    const result = parsed(`flowchart TD
      A@{
        shape: rounded,
        label: "Two
          lines"
      }
      B@{ icon: "fa:user", form: "square", label: "User Icon", pos: "t", h: 60 }
      C@{ img: "https://example.com/logo.svg", label: "Logo", pos: "t", constraint: "on" }
      A --> B --> C`)
    expect(node(result.spec, 'A')).toMatchObject({ label: 'Two\nlines', sourceShape: 'rounded' })
    expect(node(result.spec, 'B')).toMatchObject({ label: 'User Icon', sourceShape: 'icon' })
    expect(node(result.spec, 'C')).toMatchObject({ label: 'Logo', sourceShape: 'image' })
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/node B: its icon "fa:user" is not drawn/),
        expect.stringMatching(/node C: its image https:\/\/example.com\/logo.svg is not drawn/),
      ]),
    )
  })
})

describe('flowchart: links', () => {
  it('reads edge ids and their properties, saying what tldraw cannot draw', () => {
    const result = parsed(`flowchart LR
      A e1@--> B
      B e2@==> C
      e1@{ animate: true }
      e2@{ curve: linear }`)
    expect(links(result.spec)).toEqual(['A>B', 'B>C'])
    expect(result.spec.nodes.map((n) => n.id)).toEqual(['A', 'B', 'C'])
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/link e1: animation is not drawn/),
        expect.stringMatching(/link e2: the "linear" curve/),
      ]),
    )
  })

  it('reads every link kind: heads, circles, crosses, both ends, lengths, text forms', () => {
    const s = spec(`flowchart LR
      A --> B --- C -.-> D ==> E ~~~ F
      G --o H --x I <--> J o--o K x--x L
      M ----> N -- text --> O -->|pipe text| P -. dotted .-> Q == thick ==> R`)
    const edge = (from: string, to: string) => s.edges.find((e) => e.from === from && e.to === to)
    expect(edge('A', 'B')).toEqual({ from: 'A', to: 'B' })
    expect(edge('B', 'C')?.undirected).toBe(true)
    expect(edge('C', 'D')?.dash).toBe('dotted')
    expect(edge('E', 'F')?.invisible).toBe(true)
    expect(edge('G', 'H')?.heads).toEqual({ start: 'none', end: 'dot' })
    expect(edge('H', 'I')?.heads).toEqual({ start: 'none', end: 'bar' })
    expect(edge('I', 'J')?.bidirectional).toBe(true)
    expect(edge('J', 'K')?.heads).toEqual({ start: 'dot', end: 'dot' })
    expect(edge('K', 'L')?.heads).toEqual({ start: 'bar', end: 'bar' })
    expect(edge('M', 'N')).toEqual({ from: 'M', to: 'N' })
    expect(edge('N', 'O')?.label).toBe('text')
    expect(edge('O', 'P')?.label).toBe('pipe text')
    expect(edge('P', 'Q')).toMatchObject({ label: 'dotted', dash: 'dotted' })
    expect(edge('Q', 'R')?.label).toBe('thick')
  })

  it('reads what Mermaid’s lexer allows around links: short dotted links, links across line breaks, self-links', () => {
    const result = parsed(`flowchart TD
      R1 .-> R2
      R2 <.-> C
      a{{"Long text"}}
        --> b
      b -->
        c
      c --> c
      c L_c_d_0@--> d
      a --> e
      L_a_e_0@{ animation: fast }`)
    expect(links(result.spec)).toEqual(['R1>R2', 'R2>C', 'a>b', 'b>c', 'c>c', 'c>d', 'a>e'])
    expect(result.spec.edges[1]?.bidirectional).toBe(true)
    // Mermaid names unnamed links L_from_to_n; their properties apply to them.
    expect(result.warnings.join(' ')).toMatch(/link L_a_e_0: animation/)
  })

  it('expands chains and & on both sides in Mermaid’s order', () => {
    expect(links(spec('flowchart TD\n  A & B --> C & D --> E'))).toEqual([
      'A>C',
      'A>D',
      'B>C',
      'B>D',
      'C>E',
      'D>E',
    ])
  })

  it('links to and from subgraphs (no longer dropped)', () => {
    const s = spec(`flowchart TB
      c1-->a2
      subgraph one
        a1-->a2
      end
      subgraph two
        b1-->b2
      end
      one --> two
      two --> c2`)
    expect(links(s)).toEqual(['c1>a2', 'a1>a2', 'b1>b2', 'one>two', 'two>c2'])
    expect(s.nodes.map((n) => n.id)).not.toContain('one')
  })
})

describe('flowchart: subgraphs', () => {
  it('reads ids with titles, generated ids, inner directions and Mermaid’s membership', () => {
    const s = spec(`flowchart LR
      subgraph TOP [The top]
        direction TB
        subgraph B1
          direction RL
          i1 -->f1
        end
        subgraph "Second box"
          i2 -->f2
        end
      end
      A --> TOP --> B
      B1 --> i2`)
    expect(s.groups).toEqual([
      { id: 'TOP', label: 'The top', direction: 'down' },
      { id: 'B1', label: 'B1', parent: 'TOP', direction: 'left' },
      { id: 'subGraph1', label: 'Second box', parent: 'TOP' },
    ])
    expect(node(s, 'i1')?.group).toBe('B1')
    expect(node(s, 'i2')?.group).toBe('subGraph1')
    expect(node(s, 'A')?.group).toBeUndefined()
    expect(links(s)).toEqual(['i1>f1', 'i2>f2', 'A>TOP', 'TOP>B', 'B1>i2'])
  })

  it('puts a node in the innermost subgraph that mentions it, as Mermaid does', () => {
    const s = spec(`flowchart TB
      subgraph outer
        x --> y
        subgraph inner
          x
        end
      end`)
    expect(node(s, 'x')?.group).toBe('inner')
    expect(node(s, 'y')?.group).toBe('outer')
  })
})

describe('flowchart: text', () => {
  it('reads markdown strings spanning lines, entity codes and unicode', () => {
    const s = spec(`flowchart LR
      A["\`Line1
      Line **2**\`"] --> B["A double quote:#quot; and #9829;"]
      C[Ünïcödé 中文 🙂] -- "#lt;tag#gt;" --> D`)
    expect(node(s, 'A')?.label).toBe('Line1\nLine 2')
    expect(node(s, 'B')?.label).toBe('A double quote:" and ♥')
    expect(node(s, 'C')?.label).toBe('Ünïcödé 中文 🙂')
    expect(s.edges[1]?.label).toBe('<tag>')
  })

  it('takes front matter, directives, acc* statements and %% comments out', () => {
    const s = spec(`---
title: Checkout
config:
  theme: forest
---
%%{init: {"flowchart": {"curve": "linear"}}}%%
flowchart LR
  accTitle: The checkout
  accDescr {
    Several lines
    of description
  }
  %% a comment between statements
  A --> B
      %% an indented comment
  B --> C`)
    expect(s.title).toBe('Checkout')
    expect(links(s)).toEqual(['A>B', 'B>C'])
    expect(s.nodes).toHaveLength(3)
  })

  it('reads every header: graph / flowchart with TB, TD, BT, LR, RL or none', () => {
    const directions = { TB: 'down', TD: 'down', BT: 'up', LR: 'right', RL: 'left' } as const
    for (const [written, direction] of Object.entries(directions)) {
      expect(spec(`graph ${written}\n A-->B`).direction).toBe(direction)
      expect(spec(`flowchart ${written};A-->B`).direction).toBe(direction)
    }
    expect(spec('flowchart\n A-->B').direction).toBe('down')
  })
})

describe('flowchart: styling and clicks', () => {
  it('maps fill and stroke colours to the nearest tldraw colour, and says what it left out', () => {
    const result = parsed(`flowchart LR
      A:::warn --> B --> C
      classDef warn fill:#f96,stroke:#333,stroke-width:4px
      style B fill:#bbf,stroke:#f66,stroke-dasharray: 5 5
      class C done
      classDef done fill:#9f9
      linkStyle 0 stroke:#ff3,stroke-width:4px
      linkStyle default stroke:blue
      click A "https://example.com" "Tooltip"
      click B callback`)
    const s = result.spec
    expect(node(s, 'A')).toMatchObject({ color: 'orange', fill: 'solid' })
    expect(node(s, 'B')).toMatchObject({ color: 'blue', fill: 'solid', dash: 'dashed' })
    expect(node(s, 'C')).toMatchObject({ color: 'light-green', fill: 'solid' })
    expect(s.edges[0]?.color).toBe('yellow')
    expect(s.edges[1]?.color).toBe('blue')
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/left out: stroke-width/),
        expect.stringMatching(/click actions \(on A, B\) are not carried over/),
      ]),
    )
  })
})
