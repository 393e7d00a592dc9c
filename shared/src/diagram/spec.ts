/**
 * The diagram model the co-pilot speaks: a diagram spec (nodes, edges, groups), the edit operations
 * on an existing board, and the plan a model (or the offline planner) returns, as zod schemas and
 * their types. Owns: the shapes and limits of that model. Must not touch: tldraw records, layout,
 * parsing of untrusted input (see parseLenient.ts), I/O.
 */
import { z } from 'zod'

/** Limits that bound what one plan can ask for, whoever wrote it. */
export const DIAGRAM_LIMITS = {
  labelChars: 500,
  idChars: 120,
  titleChars: 200,
  nodes: 500,
  edges: 1000,
  groups: 100,
  operations: 500,
  answerChars: 20_000,
  /** How far one `move` may shift a shape, in page pixels. */
  moveDistance: 100_000,
} as const

/** Node shapes: tldraw geo names (parallelogram is tldraw's `rhombus`), a sticky note or free text. */
export const NODE_SHAPES = [
  'rectangle',
  'ellipse',
  'diamond',
  'triangle',
  'hexagon',
  'cloud',
  'star',
  'oval',
  'trapezoid',
  'parallelogram',
  'note',
  'text',
] as const
/** tldraw's default colour names (TLDefaultColorStyle). */
export const DIAGRAM_COLORS = [
  'black',
  'grey',
  'light-violet',
  'violet',
  'blue',
  'light-blue',
  'yellow',
  'orange',
  'green',
  'light-green',
  'light-red',
  'red',
  'white',
] as const
/** tldraw's fills: `solid` is a light tint of the colour, `fill` the colour itself. */
export const DIAGRAM_FILLS = ['none', 'semi', 'solid', 'pattern', 'fill'] as const
export const DIAGRAM_DASHES = ['draw', 'solid', 'dashed', 'dotted'] as const
export const DIAGRAM_DIRECTIONS = ['right', 'down', 'left', 'up'] as const

export const NodeShape = z.enum(NODE_SHAPES)
export const DiagramColor = z.enum(DIAGRAM_COLORS)
export const DiagramFill = z.enum(DIAGRAM_FILLS)
export const DiagramDash = z.enum(DIAGRAM_DASHES)
export const DiagramDirection = z.enum(DIAGRAM_DIRECTIONS)

export type NodeShape = z.infer<typeof NodeShape>
export type DiagramColor = z.infer<typeof DiagramColor>
export type DiagramFill = z.infer<typeof DiagramFill>
export type DiagramDash = z.infer<typeof DiagramDash>
export type DiagramDirection = z.infer<typeof DiagramDirection>

const Id = z.string().trim().min(1).max(DIAGRAM_LIMITS.idChars)
const Label = z.string().max(DIAGRAM_LIMITS.labelChars)

export const DiagramNodeSchema = z.object({
  id: Id,
  label: Label,
  shape: NodeShape.optional(),
  color: DiagramColor.optional(),
  fill: DiagramFill.optional(),
  /** Id of the group (frame) holding this node. */
  group: Id.optional(),
})
/**
 * What only the offline planner sets (a model is never asked for it, so its tool schema stays
 * small and coordinate-free): the source notation's shape name, kept in the shape's meta so an
 * export can use its own stencil, and a fixed box for diagrams that are not laid out by ELK.
 */
export interface NodeExtras {
  /** The source's own shape name (Mermaid's `cyl`, `doc`, …), stored as `meta.mermaidShape`. */
  sourceShape?: string
  /** Dashed outline (e.g. a sequence diagram's lifeline). */
  dash?: DiagramDash
  /**
   * Fixed box: its position is used when the spec is `preset` (layout-relative page pixels), its
   * size always (a state diagram's start dot is smaller than any label would make it).
   */
  box?: { x: number; y: number; w: number; h: number }
}
export type DiagramNode = z.infer<typeof DiagramNodeSchema> & NodeExtras

export const DiagramEdgeSchema = z.object({
  from: Id,
  to: Id,
  label: Label.optional(),
  dash: DiagramDash.optional(),
  /** Arrowheads at both ends. */
  bidirectional: z.boolean().optional(),
  /** No arrowheads at all (Mermaid's `---`); wins over `bidirectional`. */
  undirected: z.boolean().optional(),
})
/** tldraw's arrowhead kinds. */
export type DiagramArrowhead =
  | 'none'
  | 'arrow'
  | 'triangle'
  | 'square'
  | 'dot'
  | 'pipe'
  | 'diamond'
  | 'inverted'
  | 'bar'

/** Planner-only edge extras: heads, colour, where the ends attach (0–1 across each shape; centre by default). */
export interface EdgeExtras {
  /** Explicit arrowheads; win over `bidirectional` / `undirected`. */
  heads?: { start: DiagramArrowhead; end: DiagramArrowhead }
  color?: DiagramColor
  fromAnchor?: { x: number; y: number }
  toAnchor?: { x: number; y: number }
  /** Straight instead of elbow (fixed-position diagrams). */
  straight?: boolean
  /** Bend of a straight arrow, in page pixels (a sequence message to oneself loops out). */
  bend?: number
  /** Laid out (it pulls its ends together) but not drawn: Mermaid's `~~~`. */
  invisible?: boolean
}
export type DiagramEdge = z.infer<typeof DiagramEdgeSchema> & EdgeExtras

export const DiagramGroupSchema = z.object({
  id: Id,
  label: Label,
  /** Id of an enclosing group (nested frames); it must be listed before this group. */
  parent: Id.optional(),
})
/** Planner-only group extras: the frame's own layout direction, its fixed box (`preset` specs). */
export interface GroupExtras {
  direction?: DiagramDirection
  box?: { x: number; y: number; w: number; h: number }
}
export type DiagramGroup = z.infer<typeof DiagramGroupSchema> & GroupExtras

export const DiagramSpecSchema = z.object({
  title: z.string().max(DIAGRAM_LIMITS.titleChars).optional(),
  direction: DiagramDirection.optional(),
  nodes: z.array(DiagramNodeSchema).max(DIAGRAM_LIMITS.nodes),
  edges: z.array(DiagramEdgeSchema).max(DIAGRAM_LIMITS.edges),
  groups: z.array(DiagramGroupSchema).max(DIAGRAM_LIMITS.groups).optional(),
})
/**
 * A diagram to draw. An edge's `from`/`to` may name a group (its frame is the arrow's end).
 * `preset`: every node has its `box` and every group its `box`; no ELK layout (sequence diagrams).
 */
export type DiagramSpec = Omit<z.infer<typeof DiagramSpecSchema>, 'nodes' | 'edges' | 'groups'> & {
  nodes: DiagramNode[]
  edges: DiagramEdge[]
  groups?: DiagramGroup[]
  preset?: boolean
}

/**
 * Edits of an existing board. `id`, `from`, `to` and `near` are the short ids `describeBoard`
 * prints (`s3`), or ids of nodes added earlier in the same batch.
 */
export const AddOperationSchema = z.object({
  op: z.literal('add'),
  node: DiagramNodeSchema,
  near: Id.optional(),
})
export const UpdateOperationSchema = z.object({ op: z.literal('update'), id: Id, label: Label })
export const RestyleOperationSchema = z.object({
  op: z.literal('restyle'),
  id: Id,
  color: DiagramColor.optional(),
  fill: DiagramFill.optional(),
  dash: DiagramDash.optional(),
  shape: NodeShape.optional(),
})
export const DeleteOperationSchema = z.object({ op: z.literal('delete'), id: Id })
export const ConnectOperationSchema = z.object({
  op: z.literal('connect'),
  from: Id,
  to: Id,
  label: Label.optional(),
  dash: DiagramDash.optional(),
  bidirectional: z.boolean().optional(),
})
export const DisconnectOperationSchema = z.object({ op: z.literal('disconnect'), from: Id, to: Id })
const Distance = z.number().min(-DIAGRAM_LIMITS.moveDistance).max(DIAGRAM_LIMITS.moveDistance)
export const MoveOperationSchema = z.object({ op: z.literal('move'), id: Id, dx: Distance, dy: Distance })

export const EditOperationSchema = z.discriminatedUnion('op', [
  AddOperationSchema,
  UpdateOperationSchema,
  RestyleOperationSchema,
  DeleteOperationSchema,
  ConnectOperationSchema,
  DisconnectOperationSchema,
  MoveOperationSchema,
])
export type EditOperation = z.infer<typeof EditOperationSchema>
export type EditOperationKind = EditOperation['op']
export const EDIT_OPERATION_KINDS: readonly EditOperationKind[] = [
  'add',
  'update',
  'restyle',
  'delete',
  'connect',
  'disconnect',
  'move',
]

export const AgentPlanSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('diagram'), spec: DiagramSpecSchema }),
  z.object({
    kind: z.literal('edit'),
    operations: z.array(EditOperationSchema).max(DIAGRAM_LIMITS.operations),
  }),
  z.object({ kind: z.literal('answer'), text: z.string().max(DIAGRAM_LIMITS.answerChars) }),
])
export type AgentPlan = z.infer<typeof AgentPlanSchema>
