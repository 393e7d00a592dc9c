/**
 * What the co-pilot tells a model: the instructions, the board as compact text, the request, and
 * three tools (draw a diagram, edit the board, reply in words) whose JSON schemas come from the
 * same zod schemas that validate the answers. Owns: prompts and tool definitions. Must not touch:
 * HTTP, the document.
 */
import { DiagramSpecSchema, EditOperationSchema } from '@drawbridge/shared'
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions'
import { z } from 'zod'

export const DRAW_TOOL = 'draw_diagram'
export const EDIT_TOOL = 'edit_board'
export const REPLY_TOOL = 'reply'

const EditArguments = z.object({
  operations: z.array(EditOperationSchema).max(200),
  summary: z.string().max(500).optional(),
})
const ReplyArguments = z.object({ text: z.string().max(4000) })

function parametersOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  delete json.$schema
  return json
}

export const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: DRAW_TOOL,
      description:
        'Draw a new diagram on the board: nodes (short labels, a shape each), edges between node ids, optional groups. ' +
        'List nodes in reading order, then edges. Layout is automatic: never give coordinates.',
      parameters: parametersOf(DiagramSpecSchema),
    },
  },
  {
    type: 'function',
    function: {
      name: EDIT_TOOL,
      description:
        'Change what is on the board: add, update (label), restyle (color, fill, dash, shape), delete, connect, ' +
        'disconnect or move shapes. Refer to existing shapes by the ids in the board description (s1, s2, …).',
      parameters: parametersOf(EditArguments),
    },
  },
  {
    type: 'function',
    function: {
      name: REPLY_TOOL,
      description: 'Answer in words when the request is a question or cannot be drawn.',
      parameters: parametersOf(ReplyArguments),
    },
  },
]

const INSTRUCTIONS = `You are Co-pilot, a diagramming assistant inside Drawbridge, a collaborative whiteboard.
People ask you to draw diagrams (flows, architectures, sequences of steps) or to change what is on the board.
Always answer by calling exactly one tool:
- ${DRAW_TOOL} for a new diagram. Keep labels short (1-5 words). Use "diamond" for decisions, "ellipse" for start/end,
  "rectangle" for steps and components; use groups for boundaries (subsystems, swimlanes). Do not repeat nodes.
- ${EDIT_TOOL} to change existing shapes, referring to them by their ids from the board description.
  To insert something between two connected shapes: disconnect them, add the new node, connect both sides.
- ${REPLY_TOOL} for anything else.
Never invent shape ids that are not in the board description, except ids of nodes you add in the same answer.`

export function buildMessages(input: {
  board: string
  prompt: string
  attachment: { name: string; text: string } | null
  history: Array<{ role: 'user' | 'assistant'; text: string }>
}): ChatCompletionMessageParam[] {
  const request = input.attachment
    ? `${input.prompt || 'Turn this file into a diagram.'}\n\nFile ${input.attachment.name}:\n${input.attachment.text.slice(0, 60_000)}`
    : input.prompt
  return [
    { role: 'system', content: INSTRUCTIONS },
    ...input.history.map((entry) => ({ role: entry.role, content: entry.text.slice(0, 2000) }) as const),
    { role: 'user', content: `The board now:\n${input.board}\n\nRequest: ${request}` },
  ]
}

export { EditArguments, ReplyArguments }
