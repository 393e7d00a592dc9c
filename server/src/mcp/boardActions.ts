/**
 * What one MCP session does on its board, through the co-pilot's own parts: its AgentPeer (a
 * y-websocket peer with presence) reads and writes, DiagramDrawer draws (validation, ELK layout,
 * free space, drawn in steps everyone sees), `applyEditOperations` edits by short id. Every drawing
 * and edit becomes a finished `ai_jobs` row of kind 'mcp' and a chat message with "Undo this";
 * `undoLast` takes back the session's newest one. Owns: those actions and their words.
 * Must not touch: HTTP, the MCP protocol (see boardTools.ts), the queue's workers.
 */
import { randomUUID } from 'node:crypto'
import {
  applyEditOperations,
  type BoardEdit,
  type ChatMessage,
  type DiagramLayout,
  type DiagramSpec,
  describeBoard,
  type EditOperation,
  jobShapeId,
  parseDiagramSpecLeniently,
  planWithoutModel,
  ShapeLimitError,
} from '@drawbridge/shared'
import type { AgentPeer } from '../ai/agent/agentPeer'
import { DiagramDrawer } from '../ai/agent/diagramDrawer'
import type { Job, JobResult, JobStore } from '../storage/copilot/jobStore'
import { type BoardReading, choosePage, type DrawioExport, exportBoard, readBoard } from './boardReading'

/** A refusal the client should read (bad arguments, limits, a view-only link). */
export class ToolError extends Error {}

/** What the server gives every MCP session for drawing (the queue's rows, undo, layout, the cap). */
export interface DrawingServices {
  jobs: JobStore
  undo: (job: Job) => Promise<{ removed: number; restored: number }>
  layout: (spec: DiagramSpec) => Promise<DiagramLayout>
  maxShapesPerCall: number
}

export interface BoardActionDeps extends DrawingServices {
  peer: AgentPeer
  roomId: string
  userId: string | null
  /** Counts and attributes the session's rows (never an IP address). */
  requester: string
  /** The peer's id and display name ("Claude Code (AI)"). */
  author: { id: string; name: string }
  /** False once the session has ended: a drawing in progress stops. */
  isOpen: () => boolean
}

export interface DrawResult {
  jobId: string
  created: string[]
  /** Each spec node id → the shape drawn for it. */
  nodes: Record<string, string>
  shapes: number
  arrows: number
  leftOut: string[]
}

export interface EditResult {
  jobId: string
  created: string[]
  changed: number
  leftOut: string[]
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

function leftOutWords(problems: string[]): string {
  if (problems.length === 0) return ''
  const shown = problems.slice(0, 3).join('; ')
  return ` Left out: ${shown}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}.`
}

/** The ids one call writes: unique per call, so two calls never overwrite each other. */
const newKeyPrefix = () => `mcp${randomUUID().replaceAll('-', '').slice(0, 12)}_`

export class BoardActions {
  /** Job ids of this session's drawings and edits, newest last. */
  private readonly history: string[] = []

  constructor(private readonly deps: BoardActionDeps) {}

  read(options: { pageId?: string; selectionOnly: boolean }): BoardReading {
    const { peer } = this.deps
    return readBoard(peer.records, { ...options, selection: peer.peopleSelection() })
  }

  exportDrawio(options: { pageId?: string; selectionOnly: boolean }): DrawioExport {
    const { peer } = this.deps
    return exportBoard(peer.records, { ...options, selection: peer.peopleSelection() })
  }

  /** A spec from Mermaid (or the other text forms the co-pilot's planner reads) or from a spec object. */
  private specOf(input: { mermaid?: string; spec?: unknown }): {
    spec: DiagramSpec
    problems: string[]
    how: string
  } {
    if ((input.mermaid === undefined) === (input.spec === undefined))
      throw new ToolError(
        'Give exactly one of `mermaid` (a Mermaid flowchart) or `spec` ({ nodes, edges, groups }).',
      )
    if (input.mermaid !== undefined) {
      const plan = planWithoutModel(input.mermaid)
      if (plan.kind === 'needs-model') {
        throw new ToolError(
          plan.parseError
            ? `The Mermaid flowchart could not be read: line ${plan.parseError.line}: ${plan.parseError.message}.`
            : 'Only Mermaid flowcharts ("graph TD" / "flowchart LR" …) can be drawn from text; give other diagrams as a `spec`.',
        )
      }
      return { spec: plan.spec, problems: plan.warnings, how: 'from Mermaid' }
    }
    const { spec, problems } = parseDiagramSpecLeniently(input.spec)
    return { spec, problems, how: 'from a spec' }
  }

  async draw(input: { mermaid?: string; spec?: unknown }): Promise<DrawResult> {
    const { spec, problems, how } = this.specOf(input)
    const size = spec.nodes.length + spec.edges.length + (spec.groups?.length ?? 0)
    if (size > this.deps.maxShapesPerCall)
      throw new ToolError(
        `That diagram has ${size} nodes, edges and groups; one call may draw at most ${this.deps.maxShapesPerCall}. Split it.`,
      )
    if (spec.nodes.length === 0)
      throw new ToolError(`Nothing to draw: the diagram has no valid node.${leftOutWords(problems)}`)
    const { peer } = this.deps
    const keyPrefix = newKeyPrefix()
    const drawer = new DiagramDrawer(peer, keyPrefix, [], this.deps.layout)
    try {
      await drawer.drawInSteps(spec, { shouldContinue: this.deps.isOpen })
    } catch (error) {
      // Half a diagram is worse than none: what was drawn before the failure goes.
      drawer.discard()
      if (error instanceof ShapeLimitError) throw new ToolError(error.message)
      throw error
    }
    const created = drawer.finish()
    if (!this.deps.isOpen()) {
      drawer.discard()
      throw new ToolError('The session ended while drawing.')
    }
    await peer.flush()
    const records = peer.records
    const arrows = created.filter((id) => {
      const record = records.get(id)
      return record?.typeName === 'shape' && record.type === 'arrow'
    }).length
    const shapes = created.filter((id) => records.get(id)?.typeName === 'shape').length - arrows
    const text = `Drew ${plural(shapes, 'shape')} and ${plural(arrows, 'arrow')} ${how}.${leftOutWords(problems)}`
    const prompt =
      input.mermaid !== undefined
        ? `draw_diagram:\n${input.mermaid}`
        : `draw_diagram: ${JSON.stringify(spec)}`
    const job = await this.record(prompt, { created, replaced: [], reply: text }, shapes + arrows)
    const nodes: Record<string, string> = {}
    for (const node of spec.nodes) {
      const id = jobShapeId(keyPrefix, 'node', node.id)
      if (records.has(id)) nodes[node.id] = id
    }
    return { jobId: job.id, created, nodes, shapes, arrows, leftOut: problems }
  }

  async edit(operations: EditOperation[], pageId?: string): Promise<EditResult> {
    if (operations.length > this.deps.maxShapesPerCall)
      throw new ToolError(
        `That is ${operations.length} operations; one call may make at most ${this.deps.maxShapesPerCall}. Split it.`,
      )
    const { peer } = this.deps
    const all = peer.records
    const page = choosePage(all, pageId)
    const records = [...all.values()]
    const board = describeBoard(records, { pageId: page.id })
    let edit: BoardEdit
    try {
      edit = applyEditOperations(records, operations, {
        shortIds: board.shortIds,
        keyPrefix: newKeyPrefix(),
        pageId: page.id as never,
      })
    } catch (error) {
      // Refused whole, in the words a drawing past the limit gets.
      if (error instanceof ShapeLimitError) throw new ToolError(error.message)
      throw error
    }
    if (edit.put.length === 0 && edit.remove.length === 0)
      throw new ToolError(`Nothing changed.${leftOutWords(edit.problems)}`)
    const { created, replaced } = peer.applyEdit(edit)
    const changed = edit.put.length + edit.remove.length
    const text = `Changed ${plural(changed, 'record')} on the board.${leftOutWords(edit.problems)}`
    await peer.flush()
    const job = await this.record(
      `edit_board: ${JSON.stringify(operations)}`,
      { created, replaced, reply: text },
      0,
    )
    return { jobId: job.id, created, changed, leftOut: edit.problems }
  }

  /** Takes back the session's newest drawing or edit (once: someone may have used "Undo this" already). */
  async undoLast(): Promise<{ jobId: string; removed: number; restored: number; prompt: string }> {
    const jobId = this.history.pop()
    if (!jobId) throw new ToolError('This session has drawn or edited nothing that is left to undo.')
    const job = await this.deps.jobs.get(jobId)
    if (!job) throw new ToolError('That change is no longer on record (the board may have been deleted).')
    const { removed, restored } = await this.deps.undo(job)
    this.say(
      removed + restored > 0
        ? `Undid its last ${job.prompt.startsWith('edit_board') ? 'edit' : 'drawing'}.`
        : 'Tried to undo its last change: it had been undone already.',
    )
    return { jobId, removed, restored, prompt: job.prompt.split('\n', 1)[0] ?? '' }
  }

  private async record(prompt: string, result: JobResult, shapes: number): Promise<Job> {
    const job = await this.deps.jobs.recordDone({
      roomId: this.deps.roomId,
      userId: this.deps.userId,
      requester: this.deps.requester,
      authorName: this.deps.author.name,
      prompt,
      result,
      shapes,
    })
    this.history.push(job.id)
    this.say(result.reply, job.id)
    return job
  }

  private say(text: string, jobId?: string): void {
    const message: ChatMessage = {
      id: `mcp:${jobId ?? randomUUID()}`,
      at: Date.now(),
      author: { id: this.deps.author.id, name: this.deps.author.name, kind: 'ai' },
      text,
      ...(jobId ? { jobId } : {}),
    }
    this.deps.peer.say(message)
  }
}
