/**
 * One co-pilot job from start to end: join the room as a peer, read the board, decide (export
 * link, built-in planner, or a model), draw or edit progressively, say what happened in the chat,
 * leave. Everything the model sends is validated part by part; only valid parts become records.
 * Owns: the job's script. Must not touch: the queue's rows (the worker records the outcome), HTTP.
 */
import {
  applyEditOperations,
  type BoardEdit,
  type ChatMessage,
  type DiagramLayout,
  type DiagramSpec,
  describeBoard,
  parseDiagramSpecLeniently,
  parseEditOperationsLeniently,
  planWithoutModel,
  ShapeLimitError,
} from '@drawbridge/shared'
import type { Logger } from '../../logger'
import type { Job, JobResult, NothingReason } from '../../storage/copilot/jobStore'
import type { AgentLinks } from '../../storage/storage'
import { type ModelCaller, ModelFailure } from '../models/modelCaller'
import { fallbackChain, type ModelRegistry } from '../models/registry'
import type { JobOutcome } from '../queue/worker'
import { AgentPeer, COPILOT_NAME } from './agentPeer'
import { DiagramDrawer } from './diagramDrawer'
import { EXPORT_INTENT } from './intent'
import { buildMessages, DRAW_TOOL, EDIT_TOOL, REPLY_TOOL, TOOLS } from './prompting'
import { draftDiagram, readArguments } from './readAnswer'
import {
  NEEDS_MODEL_REPLY,
  notDrawn,
  PLANNER_WORDS,
  type PlannerSource,
  summarise,
  withoutModel,
} from './replyWords'
import { countArrows, selectionAsText } from './selectionText'

export interface AgentJobDeps {
  /** Where the agent's own link comes from. */
  links: AgentLinks
  /** This server's own URL; the agent connects to it like any browser. */
  serverUrl: string
  registry: ModelRegistry | undefined
  caller: ModelCaller
  exportUrl: string
  stillOwned: () => boolean
  /** Aborted when the job is interrupted (lease lost, instance stopping): the model call stops. */
  signal?: AbortSignal
  progress: (shapes: number) => void
  /** Lays a diagram out (ELK); off the event loop on the server. */
  layout?: (spec: DiagramSpec) => Promise<DiagramLayout>
  log: Logger
}

/** How long the agent's link stays valid: well beyond any job. */
const AGENT_LINK_TTL_MS = 30 * 60_000
/** At most this often a streamed draft is laid out and written. */
const STREAM_DRAW_INTERVAL_MS = 120
/** The co-pilot's cursor stays this long on a finished drawing, so people see where it went. */
const PRESENCE_LINGER_MS = 1_500

export async function runAgentJob(job: Job, deps: AgentJobDeps): Promise<JobOutcome> {
  const linkId = await deps.links.createAgentLink(job.roomId, new Date(Date.now() + AGENT_LINK_TTL_MS))
  let peer: AgentPeer | undefined
  let linger = false
  const leave = async () => {
    peer?.leave()
    await deps.links.revokeAgentLink(linkId).catch(() => undefined)
  }
  try {
    peer = await AgentPeer.join({ serverUrl: deps.serverUrl, linkId, peerId: `copilot:${job.id}` })
    const outcome = await new JobScript(job, peer, deps).run()
    await peer.flush()
    // After a drawing the cursor stays on it a moment (the outcome is reported meanwhile).
    linger = outcome.shapes > 0 && deps.stillOwned()
    return outcome
  } finally {
    if (linger) setTimeout(() => void leave(), PRESENCE_LINGER_MS)
    else await leave()
  }
}

class JobScript {
  /** Whether this run called a model (a run that did not spends no model quota). */
  private usedModel = false
  private readonly keyPrefix: string
  private readonly drawer: DiagramDrawer
  private readonly selection: string[]

  constructor(
    private readonly job: Job,
    private readonly peer: AgentPeer,
    private readonly deps: AgentJobDeps,
  ) {
    // Record ids carry the job: the same job drawing again writes the same ids.
    this.keyPrefix = `ai${job.id.replaceAll('-', '').slice(0, 12)}_`
    const records = peer.records
    this.selection = job.selection.filter((id) => records.has(id))
    // Drawn where the requester looks: their page, in or next to their view.
    const view = job.viewport && peer.usePage(job.viewport.pageId) ? job.viewport : undefined
    this.drawer = new DiagramDrawer(peer, this.keyPrefix, this.selection, deps.layout, view)
  }

  async run(): Promise<JobOutcome> {
    try {
      return await this.plan()
    } catch (error) {
      if (!(error instanceof ShapeLimitError)) throw error
      // Nothing half-drawn stays on a full page: the chat says why.
      if (this.deps.stillOwned()) this.drawer.discard()
      return this.reply(`I couldn't draw that. ${error.message}`, 'failed', { created: [] })
    }
  }

  private async plan(): Promise<JobOutcome> {
    const { job } = this
    if (EXPORT_INTENT.test(job.prompt)) return this.answerWithExport()
    const source = job.attachment?.text ?? job.prompt
    const planned = planWithoutModel(source)
    const hasModel = this.deps.registry !== undefined
    // "Turn this list into a flowchart" without a model: the selection's text may be a plan.
    if (!hasModel && planned.kind === 'needs-model' && !job.attachment && this.selection.length > 0) {
      const fromSelection = planWithoutModel(selectionAsText(this.peer.records, this.selection))
      if (fromSelection.kind === 'diagram') return this.drawPlanned(fromSelection.spec, 'selection')
    }
    // Structured input (Mermaid, arrow lists, CSV) is drawn exactly as written, model or not.
    if (planned.kind === 'diagram' && (!hasModel || planned.source !== 'steps')) {
      return this.drawPlanned(planned.spec, planned.source, planned.warnings)
    }
    if (!hasModel) {
      const { reason, text } =
        planned.kind === 'needs-model'
          ? withoutModel(planned, source)
          : { reason: 'needs-model' as const, text: NEEDS_MODEL_REPLY }
      return this.reply(text, 'nothing', {}, reason)
    }
    this.usedModel = true
    return this.askModel()
  }

  /**
   * Says `text` in the chat and ends the job as `status`. A job that drew or changed nothing ends
   * as `nothing` (with `reason`), and its reply offers no "Undo this".
   */
  private reply(
    text: string,
    status: JobOutcome['status'],
    result: Partial<JobResult> = {},
    reason: NothingReason = 'answered',
  ): JobOutcome {
    const full: JobResult = { created: [], replaced: [], reply: text, ...result }
    const message: ChatMessage = {
      id: `reply:${this.job.id}`,
      at: Date.now(),
      author: { id: `copilot:${this.job.id}`, name: COPILOT_NAME, kind: 'ai' },
      text,
      jobId: this.job.id,
      undoable: full.created.length > 0 || full.replaced.length > 0,
    }
    if (this.deps.stillOwned()) this.peer.say(message)
    const drew = this.drawer.shapeCount > 0
    if (!drew) this.peer.showPresence(null)
    return {
      status,
      ...(status === 'nothing' ? { reason } : {}),
      result: full,
      shapes: this.drawer.shapeCount,
      error: status === 'failed' ? text : undefined,
      usedModel: this.usedModel,
    }
  }

  /**
   * The job is no longer this instance's (lease lost, or stopping): write nothing more. The outcome
   * is not recorded (only the claimant may); the job's next run redraws the same ids.
   */
  private interrupted(): JobOutcome {
    this.peer.showPresence(null)
    const text = 'The co-pilot was interrupted; the request runs again.'
    return {
      status: 'failed',
      result: { created: [], replaced: [], reply: text },
      shapes: 0,
      error: text,
      usedModel: this.usedModel,
    }
  }

  private answerWithExport(): JobOutcome {
    const scope = this.selection.length > 0 ? this.selection : 'board'
    const what = scope === 'board' ? 'the board' : `the ${this.selection.length} selected shapes`
    return this.reply(`Here is ${what} as a draw.io file: ${this.deps.exportUrl}`, 'succeeded', {
      exportScope: scope,
    })
  }

  /** Draws a planner's diagram in steps, so everyone sees it appear. */
  private async drawPlanned(
    spec: DiagramSpec,
    source: PlannerSource,
    warnings: string[] = [],
  ): Promise<JobOutcome> {
    await this.drawer.reserve(spec)
    await this.drawer.drawInSteps(spec, {
      shouldContinue: this.deps.stillOwned,
      onStep: (shapes) => this.deps.progress(shapes),
    })
    if (!this.deps.stillOwned()) return this.interrupted()
    return this.finishDrawing([], PLANNER_WORDS[source], warnings)
  }

  private async finishDrawing(
    problems: string[],
    how: string,
    warnings: readonly string[] = [],
  ): Promise<JobOutcome> {
    await this.drawer.settle()
    if (!this.deps.stillOwned()) return this.interrupted()
    const created = this.drawer.finish()
    const arrows = countArrows(this.peer.records.values(), created)
    const shapes = this.drawer.shapeCount - arrows
    const text =
      `Drew ${shapes} shape${shapes === 1 ? '' : 's'} and ${arrows} arrow${arrows === 1 ? '' : 's'} ${how}.` +
      summarise(problems) +
      notDrawn(warnings) +
      ` draw.io: ${this.deps.exportUrl}`
    const bounds = this.drawer.bounds
    return this.reply(text, 'succeeded', {
      created,
      ...(bounds ? { bounds: { pageId: this.peer.page, ...bounds } } : {}),
    })
  }

  private history(): Array<{ role: 'user' | 'assistant'; text: string }> {
    return this.peer
      .chat()
      .filter((message) => message.jobId !== this.job.id)
      .slice(-6)
      .map((message) => ({ role: message.author.kind === 'ai' ? 'assistant' : 'user', text: message.text }))
  }

  private async askModel(): Promise<JobOutcome> {
    const records = [...this.peer.records.values()].filter(
      (record) => !(record.typeName === 'shape' && record.id.includes(this.keyPrefix)),
    )
    const board = describeBoard(records, {
      selection: this.selection,
      pageId: this.peer.page,
      maxChars: 12_000,
    })
    const messages = buildMessages({
      board: board.text,
      prompt: this.job.prompt,
      attachment: this.job.attachment,
      history: this.history(),
    })
    let lastDraw = 0
    let drawnNodes = 0
    let latestArguments = ''
    let trailing: NodeJS.Timeout | undefined
    // Only the newest draft waits while one is being drawn: a large layout takes longer than the
    // stream takes to grow, and drafts it has outgrown are never worth drawing.
    let waiting: DiagramSpec | undefined
    let drawing: Promise<void> | undefined
    const drawDrafts = async () => {
      while (waiting) {
        const draft = waiting
        waiting = undefined
        try {
          await this.drawer.draw(draft)
          this.deps.progress(this.drawer.shapeCount)
        } catch (error) {
          this.deps.log.warn({ err: error }, 'streamed draft could not be drawn')
        }
      }
      drawing = undefined
    }
    /** Draws the newest arguments, at most every STREAM_DRAW_INTERVAL_MS; a skipped one is drawn when that interval ends. */
    const considerDraft = () => {
      trailing = undefined
      if (!this.deps.stillOwned()) return
      const wait = lastDraw + STREAM_DRAW_INTERVAL_MS - Date.now()
      if (wait > 0 && drawnNodes > 0) {
        trailing = setTimeout(considerDraft, wait)
        return
      }
      const draft = draftDiagram(latestArguments)
      if (!draft || draft.nodes.length <= drawnNodes) return
      lastDraw = Date.now()
      drawnNodes = draft.nodes.length
      waiting = draft
      drawing ??= drawDrafts()
    }
    let reply: Awaited<ReturnType<ModelCaller['call']>>
    try {
      reply = await this.deps.caller.call(fallbackChain(this.deps.registry!), {
        messages,
        tools: TOOLS,
        signal: this.deps.signal,
        onSnapshot: (snapshot) => {
          if (snapshot.toolName !== DRAW_TOOL) return
          latestArguments = snapshot.argumentsText
          if (!trailing) considerDraft()
        },
      })
    } catch (error) {
      clearTimeout(trailing)
      await drawing
      if (error instanceof ModelFailure) {
        // What earlier attempts streamed onto the board goes: a failed job leaves nothing behind.
        // (An interrupted job leaves it to its next run, which redraws the same ids.)
        if (this.deps.stillOwned()) this.drawer.discard()
        return this.reply(`Sorry — ${error.message}`, 'failed', { created: [] })
      }
      throw error
    }
    clearTimeout(trailing)
    await drawing
    if (!this.deps.stillOwned()) return this.interrupted()
    const truncated = reply.finishReason === 'length'
    const { value: args, repaired } = readArguments(reply.argumentsText || reply.content, truncated)
    const notes = truncated
      ? ['the model stopped mid-answer (token limit), so the last part is missing']
      : repaired
        ? ["the model's answer was not valid JSON, so only what could be read of it was used"]
        : []
    const tool =
      reply.toolName ?? (args && typeof args === 'object' && 'nodes' in args ? DRAW_TOOL : undefined)
    if (tool === DRAW_TOOL) return this.drawModelDiagram(args, notes)
    if (tool === EDIT_TOOL) return this.applyEdits(args, notes)
    if (tool === REPLY_TOOL) {
      const text = (args as { text?: unknown } | undefined)?.text
      if (typeof text === 'string' && text.trim()) return this.reply(text.trim().slice(0, 4000), 'nothing')
    }
    if (!reply.toolName && reply.content.trim() && !args)
      return this.reply(reply.content.trim().slice(0, 4000), 'nothing')
    return this.reply(
      "I couldn't use the model's answer: it was not a diagram, an edit or a reply.",
      'failed',
    )
  }

  private async drawModelDiagram(args: unknown, notes: string[]): Promise<JobOutcome> {
    const { spec, problems } = parseDiagramSpecLeniently(args)
    if (spec.nodes.length === 0) {
      // Drafts drawn while the answer streamed go too: the board shows what the chat says.
      if (this.deps.stillOwned()) this.drawer.discard()
      return this.reply(
        `I couldn't draw that: the model's answer held no usable diagram.${summarise([...notes, ...problems])}`,
        'failed',
        { created: [] },
      )
    }
    await this.drawer.draw(spec)
    if (!this.deps.stillOwned()) return this.interrupted()
    this.deps.progress(this.drawer.shapeCount)
    return this.finishDrawing([...notes, ...problems], 'as asked')
  }

  private applyEdits(args: unknown, notes: string[] = []): JobOutcome {
    const operations = (args as { operations?: unknown } | undefined)?.operations
    const parsed = parseEditOperationsLeniently(operations)
    const records = [...this.peer.records.values()]
    const board = describeBoard(
      records.filter((record) => !(record.typeName === 'shape' && record.id.includes(this.keyPrefix))),
      { selection: this.selection, pageId: this.peer.page, maxChars: 12_000 },
    )
    let edit: BoardEdit
    try {
      edit = applyEditOperations(records, parsed.operations, {
        shortIds: board.shortIds,
        keyPrefix: this.keyPrefix,
        pageId: this.peer.page as never,
      })
    } catch (error) {
      // A page at the limit takes no more shapes, from an edit as from a drawing: nothing changed.
      if (!(error instanceof ShapeLimitError)) throw error
      return this.reply(`I couldn't make that change. ${error.message}`, 'failed')
    }
    const problems = [...notes, ...parsed.problems, ...edit.problems]
    if (edit.put.length === 0 && edit.remove.length === 0) {
      return this.reply(`I couldn't make that change.${summarise(problems)}`, 'failed')
    }
    const { created, replaced } = this.peer.applyEdit(edit)
    const changed = edit.put.length + edit.remove.length
    return this.reply(
      `Done: changed ${changed} record${changed === 1 ? '' : 's'} on the board.${summarise(problems)}`,
      'succeeded',
      { created, replaced },
    )
  }
}
