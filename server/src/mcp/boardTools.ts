/**
 * The MCP tools of a board, registered on a session's McpServer with zod input schemas (the SDK
 * turns them into JSON Schema and validates every call: bad arguments are tool errors, never a
 * crash): `read_board`, `export_drawio` (read tools, also for view links), `draw_diagram`,
 * `edit_board`, `undo_last` (editors). Results are text plus structured content. Owns: tool names,
 * descriptions, schemas and result shapes. Must not touch: HTTP, sessions' lifecycle, the doc
 * (BoardActions does the work).
 */

import { DIAGRAM_LIMITS, DiagramEdgeSchema, DiagramSpecSchema, EditOperationSchema } from '@drawbridge/shared'
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import type { Logger } from '../logger'
import { type BoardActions, ToolError } from './boardActions'
import { BoardReadError } from './boardReading'

export const READ_TOOLS = ['read_board', 'export_drawio'] as const
export const WRITE_TOOLS = ['draw_diagram', 'edit_board', 'undo_last'] as const

/** Longest Mermaid text one call may send. */
const MERMAID_MAX_CHARS = 100_000

const PageId = z
  .string()
  .min(1)
  .max(200)
  .describe('A page id (`page:…`) or name from read_board; the first page when left out.')
const SelectionOnly = z
  .boolean()
  .default(false)
  .describe('Only what the people in the room have selected right now (and what it contains).')

const ReadInput = { pageId: PageId.optional(), selectionOnly: SelectionOnly }

const SpecInput = DiagramSpecSchema.extend({
  edges: z.array(DiagramEdgeSchema).max(DIAGRAM_LIMITS.edges).default([]),
}).describe(
  'Nodes (id, label, optional shape/color/fill/group), edges (from, to node ids, optional label/dash/bidirectional/undirected) and optional groups (frames). Never coordinates: the layout is automatic.',
)

const DrawInput = {
  mermaid: z
    .string()
    .max(MERMAID_MAX_CHARS)
    .optional()
    .describe('A Mermaid flowchart: "graph TD" / "flowchart LR", node shapes, edge labels, subgraphs.'),
  spec: SpecInput.optional(),
}

const EditInput = {
  operations: z
    .array(EditOperationSchema)
    .min(1)
    .max(DIAGRAM_LIMITS.operations)
    .describe(
      'Applied in order. ids are the short ids of read_board (s1, s2…), record ids (shape:…), or ids of nodes added earlier in the same call.',
    ),
  pageId: PageId.optional(),
}

/** What a session offers the tools: its actions, its role now, and the per-call limit. */
export interface ToolHost {
  actions: BoardActions
  canEdit: () => boolean
  /** Admits one tool call (calls per hour); returns a refusal to show, or undefined. */
  admitCall: () => Promise<string | undefined>
  log: Logger
}

const answer = (text: string, structured: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text }],
  structuredContent: structured,
})

const refusal = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true })

/** Runs a tool body: limits first, known refusals become tool errors, anything else is logged. */
async function run(
  host: ToolHost,
  tool: string,
  needsEditor: boolean,
  body: () => CallToolResult | Promise<CallToolResult>,
): Promise<CallToolResult> {
  if (needsEditor && !host.canEdit())
    return refusal('This board link is view-only: it can read and export, not draw.')
  const refused = await host.admitCall()
  if (refused) return refusal(refused)
  try {
    return await body()
  } catch (error) {
    if (error instanceof ToolError || error instanceof BoardReadError) return refusal(error.message)
    host.log.error({ err: error, tool }, 'MCP tool failed')
    return refusal(`${tool} failed on the server; nothing was changed by the failed part.`)
  }
}

/** Registers every tool; the write tools are returned so the session can hide them from viewers. */
export function registerBoardTools(server: McpServer, host: ToolHost): RegisteredTool[] {
  const { actions } = host
  server.registerTool(
    'read_board',
    {
      title: 'Read the board',
      description:
        'The board (one page) as compact text — one line per shape with a short id, kind, label, position, size, style and frame; one per arrow with what it connects — and the same as JSON. Use the short ids (or record ids) in edit_board.',
      inputSchema: ReadInput,
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(host, 'read_board', false, () => {
        const reading = actions.read(args)
        const pages =
          reading.pages.length > 1
            ? `\nPages: ${reading.pages.map((p) => `${p.id} "${p.name}"`).join(', ')}`
            : ''
        return answer(`${reading.text}${pages}`, {
          page: reading.page,
          pages: reading.pages,
          shapes: reading.items,
          selection: reading.selection,
        })
      }),
  )
  server.registerTool(
    'export_drawio',
    {
      title: 'Export to draw.io',
      description:
        'The board as a draw.io (diagrams.net) file: every page, one page (pageId), or what people have selected (selectionOnly).',
      inputSchema: ReadInput,
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(host, 'export_drawio', false, () => {
        const exported = actions.exportDrawio(args)
        return answer(exported.xml, {
          xml: exported.xml,
          page: exported.page ?? null,
          unmapped: exported.unmapped,
        })
      }),
  )
  const draw = server.registerTool(
    'draw_diagram',
    {
      title: 'Draw a diagram',
      description:
        'Draws a diagram on the board where everyone sees it appear, laid out automatically in free space: either a Mermaid flowchart (`mermaid`) or a `spec` of nodes, edges and groups. Returns the ids drawn.',
      inputSchema: DrawInput,
    },
    (args) =>
      run(host, 'draw_diagram', true, async () => {
        const drawn = await actions.draw(args)
        const leftOut = drawn.leftOut.length > 0 ? ` Left out: ${drawn.leftOut.slice(0, 5).join('; ')}.` : ''
        return answer(
          `Drew ${drawn.shapes} shapes and ${drawn.arrows} arrows.${leftOut} Node ids: ${JSON.stringify(drawn.nodes)}`,
          { ...drawn },
        )
      }),
  )
  const edit = server.registerTool(
    'edit_board',
    {
      title: 'Edit the board',
      description:
        'Edits shapes by the short ids of read_board: add (a node near another), update (label), restyle (color, fill, dash, shape), delete, connect, disconnect, move (dx, dy). Parts that do not apply are left out and named.',
      inputSchema: EditInput,
    },
    (args) =>
      run(host, 'edit_board', true, async () => {
        const edited = await actions.edit(args.operations, args.pageId)
        const leftOut =
          edited.leftOut.length > 0 ? ` Left out: ${edited.leftOut.slice(0, 5).join('; ')}.` : ''
        return answer(`Changed ${edited.changed} records.${leftOut}`, { ...edited })
      }),
  )
  const undo = server.registerTool(
    'undo_last',
    {
      title: 'Undo the last change',
      description:
        "Takes back this session's last drawing or edit (what it created goes, what it changed comes back).",
      inputSchema: {},
      annotations: { destructiveHint: true },
    },
    () =>
      run(host, 'undo_last', true, async () => {
        const undone = await actions.undoLast()
        return answer(
          undone.removed + undone.restored > 0
            ? `Undone: removed ${undone.removed} and restored ${undone.restored} records (${undone.prompt}).`
            : 'That change had been undone already (someone used "Undo this").',
          { ...undone },
        )
      }),
  )
  return [draw, edit, undo]
}
