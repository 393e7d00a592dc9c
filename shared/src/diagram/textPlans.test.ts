import { describe, expect, it } from 'vitest'
import { DiagramSpecSchema } from './spec'
import {
  NEEDS_MODEL_MESSAGE,
  parseArrowList,
  parseCsvEdges,
  parseMermaidFlowchart,
  parseNumberedSteps,
  planWithoutModel,
  type TextParse,
} from './textPlans'

function spec(parsed: TextParse) {
  if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.error}`)
  expect(DiagramSpecSchema.safeParse(parsed.spec).success).toBe(true)
  return parsed.spec
}
const node = (s: ReturnType<typeof spec>, id: string) => s.nodes.find((n) => n.id === id)

describe('parseMermaidFlowchart', () => {
  it('reads every node shape', () => {
    const s = spec(
      parseMermaidFlowchart(`flowchart LR
        A[Rect] --> B(Round)
        C([Stadium]) --> D{Diamond}
        E((Circle)) --> F{{Hexagon}}
        G>Flag] --> H[/Para/]
        I[\\Alt\\] --> J[/Trap\\]
        K[\\Inv/] --> L[(Database)]
        M[[Sub]] --> N(((Double)))
        O["Quoted [brackets] (and) {braces}"] --> P`),
    )
    expect(s.direction).toBe('right')
    const shapes = Object.fromEntries(s.nodes.map((n) => [n.id, [n.label, n.shape]]))
    expect(shapes).toEqual({
      A: ['Rect', 'rectangle'],
      B: ['Round', 'oval'],
      C: ['Stadium', 'oval'],
      D: ['Diamond', 'diamond'],
      E: ['Circle', 'ellipse'],
      F: ['Hexagon', 'hexagon'],
      G: ['Flag', 'rectangle'],
      H: ['Para', 'parallelogram'],
      I: ['Alt', 'parallelogram'],
      J: ['Trap', 'trapezoid'],
      K: ['Inv', 'trapezoid'],
      L: ['Database', 'rectangle'],
      M: ['Sub', 'rectangle'],
      N: ['Double', 'ellipse'],
      O: ['Quoted [brackets] (and) {braces}', 'rectangle'],
      P: ['P', undefined],
    })
    expect(s.edges).toHaveLength(8)
  })

  it('reads every link form, labels, heads and chains', () => {
    const s = spec(
      parseMermaidFlowchart(`graph TD
        A --> B
        B --- C
        C -.-> D
        D ==> E
        E -->|yes| F
        F -- no --> G
        G -. maybe .-> H
        H == sure ==> I
        I <--> J
        J --o K
        K --x L
        L ~~~ M
        M -- open text --- N
        X --> Y --> Z
        P & Q --> R & S
        T-->U;U-->V
        W-->|"quoted | pipe-free"|X`),
    )
    expect(s.direction).toBe('down')
    const edge = (from: string, to: string) => s.edges.find((e) => e.from === from && e.to === to)
    expect(edge('A', 'B')).toEqual({ from: 'A', to: 'B' })
    expect(edge('B', 'C')).toEqual({ from: 'B', to: 'C', undirected: true })
    expect(edge('C', 'D')).toEqual({ from: 'C', to: 'D', dash: 'dotted' })
    expect(edge('D', 'E')).toEqual({ from: 'D', to: 'E' })
    expect(edge('E', 'F')?.label).toBe('yes')
    expect(edge('F', 'G')?.label).toBe('no')
    expect(edge('G', 'H')).toEqual({ from: 'G', to: 'H', label: 'maybe', dash: 'dotted' })
    expect(edge('H', 'I')?.label).toBe('sure')
    expect(edge('I', 'J')?.bidirectional).toBe(true)
    expect(edge('J', 'K')?.heads).toEqual({ start: 'none', end: 'dot' })
    expect(edge('K', 'L')?.heads).toEqual({ start: 'none', end: 'bar' })
    expect(edge('L', 'M')?.invisible).toBe(true) // laid out, not drawn
    expect(node(s, 'M')).toBeDefined()
    expect(edge('M', 'N')).toEqual({ from: 'M', to: 'N', label: 'open text', undirected: true })
    expect(edge('X', 'Y') && edge('Y', 'Z')).toBeTruthy()
    for (const [from, to] of [
      ['P', 'R'],
      ['P', 'S'],
      ['Q', 'R'],
      ['Q', 'S'],
    ] as const)
      expect(edge(from, to)).toBeDefined()
    expect(edge('T', 'U') && edge('U', 'V')).toBeTruthy()
    expect(edge('W', 'X')?.label).toBe('quoted | pipe-free')
  })

  it('turns subgraphs into (nested) groups and ignores comments and styling', () => {
    const s = spec(
      parseMermaidFlowchart(`%% a comment
flowchart TB
    c1-->a2
    subgraph one [Frontend team]
      a1["Web app"]-->a2
      subgraph inner["Inner bit"]
        a3
      end
    end
    subgraph two
      b1-->b2
    end
    subgraph "Third one"
      direction LR
      c1
    end
    classDef red fill:#f00
    class a1 red
    style b1 fill:#0f0
    click a1 "https://example.com"
    linkStyle 0 stroke:#f00
    a1:::red --> b1
    one --> two`),
    )
    expect(s.groups).toEqual([
      { id: 'one', label: 'Frontend team' },
      { id: 'inner', label: 'Inner bit', parent: 'one' },
      { id: 'two', label: 'two' },
      // Mermaid generates the id of a title with spaces.
      { id: 'subGraph3', label: 'Third one', direction: 'right' },
    ])
    expect(node(s, 'a1')).toEqual({
      id: 'a1',
      label: 'Web app',
      shape: 'rectangle',
      sourceShape: 'rect',
      group: 'one',
      color: 'red',
      fill: 'solid',
    })
    expect(node(s, 'a2')?.group).toBe('one')
    expect(node(s, 'a3')?.group).toBe('inner')
    expect(node(s, 'b1')?.group).toBe('two')
    expect(node(s, 'c1')?.group).toBe('subGraph3')
    expect(node(s, 'one')).toBeUndefined()
    expect(s.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['c1>a2', 'a1>a2', 'b1>b2', 'a1>b1', 'one>two'])
  })

  it('cleans labels: <br>, entities, markdown strings', () => {
    const s = spec(
      parseMermaidFlowchart('graph LR\n A["Line 1<br/>Line #quot;2#quot; #35;"] --> B["`**md**`"]'),
    )
    expect(node(s, 'A')?.label).toBe('Line 1\nLine "2" #')
    expect(node(s, 'B')?.label).toBe('md')
  })

  it('reports the line of an error', () => {
    const bad = parseMermaidFlowchart('graph TD\n  A --> B\n  A --> [oops')
    expect(bad).toMatchObject({ ok: false, line: 3 })
    expect(parseMermaidFlowchart('graph TD\n A[never closed\n')).toMatchObject({ ok: false, line: 2 })
    expect(parseMermaidFlowchart('graph TD\n end')).toMatchObject({ ok: false, line: 2 })
    expect(parseMermaidFlowchart('hello\nA-->B')).toMatchObject({ ok: false, line: 1 })
  })

  it('reads front matter titles and one-line graphs', () => {
    const s = spec(parseMermaidFlowchart('---\ntitle: Checkout\n---\ngraph RL;A-->B;B-->C'))
    expect(s.title).toBe('Checkout')
    expect(s.direction).toBe('left')
    expect(s.edges).toHaveLength(2)
  })
})

describe('arrow, step and CSV lists', () => {
  it('reads arrow chains with labels and shared names', () => {
    const s = spec(
      parseArrowList(
        'Checkout flow:\nBrowser -> API -> Database\nAPI → Cache\nAPI -reads-> Sign-in service\nA <-> B',
      ),
    )
    expect(s.title).toBe('Checkout flow')
    expect(s.nodes.map((n) => n.label)).toEqual([
      'Browser',
      'API',
      'Database',
      'Cache',
      'Sign-in service',
      'A',
      'B',
    ])
    expect(s.edges).toContainEqual({ from: 'api', to: 'sign-in-service', label: 'reads' })
    expect(s.edges).toContainEqual({ from: 'a', to: 'b', bidirectional: true })
    expect(s.edges.filter((e) => e.from === 'api')).toHaveLength(3)
    expect(parseArrowList('A -> \nB -> C')).toMatchObject({ ok: false, line: 1 })
  })

  it('reads numbered steps as a chain, questions as decisions', () => {
    const s = spec(
      parseNumberedSteps(
        'Turn this into a flowchart:\n1. Open the app\n2) Sign in\n   with SSO\n3. Paid?\nStep 4: Ship it\n5. Sign in',
      ),
    )
    expect(s.direction).toBe('down')
    expect(s.nodes.map((n) => n.label)).toEqual([
      'Open the app',
      'Sign in\nwith SSO',
      'Paid?',
      'Ship it',
      'Sign in',
    ])
    expect(s.nodes[2]?.shape).toBe('diamond')
    expect(new Set(s.nodes.map((n) => n.id)).size).toBe(5)
    expect(s.edges).toHaveLength(4)
    expect(parseNumberedSteps('1. only one')).toMatchObject({ ok: false })
  })

  it('reads CSV edge lists with and without a header', () => {
    const s = spec(parseCsvEdges('source,target,label\nAPI,DB,"reads, writes"\nWeb,API\n'))
    expect(s.edges).toEqual([
      { from: 'api', to: 'db', label: 'reads, writes' },
      { from: 'web', to: 'api' },
    ])
    expect(spec(parseCsvEdges('A,B\nB,C')).edges).toHaveLength(2)
    expect(parseCsvEdges('from,to\nA\n')).toMatchObject({ ok: false, line: 2 })
  })
})

describe('planWithoutModel', () => {
  it('picks the form', () => {
    expect(planWithoutModel('graph TD\nA-->B')).toMatchObject({ kind: 'diagram', source: 'mermaid' })
    expect(
      planWithoutModel('Please draw this:\n\n```mermaid\nflowchart LR\n  A --> B\n```\nthanks'),
    ).toMatchObject({ kind: 'diagram', source: 'mermaid' })
    expect(planWithoutModel('Browser -> API -> DB')).toMatchObject({ kind: 'diagram', source: 'arrows' })
    expect(planWithoutModel('1. Plan\n2. Build\n3. Ship')).toMatchObject({ kind: 'diagram', source: 'steps' })
    expect(planWithoutModel('from,to\nA,B')).toMatchObject({ kind: 'diagram', source: 'csv' })
    expect(planWithoutModel('A,B\nB,C\nC,A')).toMatchObject({ kind: 'diagram', source: 'csv' })
  })

  it('plans sequence, class, state and ER diagrams, fenced or not, and carries the readers’ warnings', () => {
    for (const [text, nodes] of [
      ['sequenceDiagram\n  Alice->>Bob: hi', 4],
      ['```mermaid\nclassDiagram\n  Animal <|-- Duck\n```', 2],
      ['stateDiagram-v2\n  [*] --> Idle', 2],
      ['Our schema:\n```\nerDiagram\n  CUSTOMER ||--o{ ORDER : places\n```', 2],
    ] as const) {
      const plan = planWithoutModel(text)
      expect(plan, text).toMatchObject({ kind: 'diagram', source: 'mermaid' })
      if (plan.kind === 'diagram') expect(plan.spec.nodes).toHaveLength(nodes)
    }
    const warned = planWithoutModel('flowchart LR\n  A@{ icon: "fa:car", label: "Car" } --> B')
    expect(warned).toMatchObject({
      kind: 'diagram',
      warnings: [expect.stringMatching(/icon "fa:car" is not drawn/)],
    })
  })

  it('needs a model for free-form prompts, with a clear message', () => {
    for (const prompt of [
      'draw our checkout flow',
      'Make the database red, please, and move it left',
      '',
      '   ',
      'pie title Pets\n"Dogs" : 386',
    ]) {
      const plan = planWithoutModel(prompt)
      expect(plan.kind).toBe('needs-model')
      if (plan.kind === 'needs-model') expect(plan.message).toMatch(/OPENAI_API_KEY/)
    }
    expect(NEEDS_MODEL_MESSAGE).toMatch(/Mermaid.*arrow.*numbered.*CSV/s)
  })

  it('says which line of a broken Mermaid block is wrong, counted in the prompt', () => {
    const plan = planWithoutModel('Here:\n```mermaid\ngraph TD\nA --> [x\n```')
    expect(plan).toMatchObject({ kind: 'needs-model', parseError: { source: 'mermaid', line: 4 } })
  })
})
