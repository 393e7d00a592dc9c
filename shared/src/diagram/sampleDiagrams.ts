/**
 * Synthetic diagram specs for tests and the layout benchmark: deterministic (seeded), with varied
 * shapes, label lengths, edge labels and groups. Not exported from the package.
 * Must not touch: anything outside the diagram model.
 */
import { type DiagramEdge, type DiagramGroup, type DiagramNode, type DiagramSpec, NODE_SHAPES } from './spec'

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = [
  'API',
  'gateway',
  'billing',
  'user',
  'service',
  'cache',
  'queue',
  'worker',
  'database',
  'auth',
  'payment',
  'checkout',
  'inventory',
  'search',
  'index',
  'email',
]

/**
 * `nodes` nodes and about `edgesPerNode × nodes` edges (a spanning chain plus random extra links),
 * every `groupEvery`th block of nodes in a group.
 */
export function syntheticDiagram(
  nodes: number,
  options: { edgesPerNode?: number; groups?: number; seed?: number } = {},
): DiagramSpec {
  const random = seededRandom(options.seed ?? 1)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
  const groupCount = options.groups ?? 0
  const groups: DiagramGroup[] = Array.from({ length: groupCount }, (_, g) => ({
    id: `g${g}`,
    label: `Team ${g}`,
  }))
  const specNodes: DiagramNode[] = []
  for (let i = 0; i < nodes; i++) {
    const words = Array.from({ length: 1 + Math.floor(random() * (i % 7 === 0 ? 12 : 3)) }, () => pick(WORDS))
    const node: DiagramNode = { id: `n${i}`, label: `${words.join(' ')} ${i}` }
    if (i % 3 === 0) node.shape = pick(NODE_SHAPES)
    if (groupCount > 0 && i % 4 === 0) node.group = `g${Math.floor(random() * groupCount)}`
    specNodes.push(node)
  }
  const edges: DiagramEdge[] = []
  for (let i = 1; i < nodes; i++) edges.push({ from: `n${Math.floor(random() * i)}`, to: `n${i}` })
  const target = Math.round(nodes * (options.edgesPerNode ?? 1.5))
  while (edges.length < target) {
    const a = Math.floor(random() * nodes)
    const b = Math.floor(random() * nodes)
    if (a === b) continue
    edges.push({ from: `n${a}`, to: `n${b}`, ...(random() < 0.2 ? { label: pick(WORDS) } : {}) })
  }
  return { nodes: specNodes, edges, ...(groups.length > 0 ? { groups } : {}) }
}
