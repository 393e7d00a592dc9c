/**
 * The co-pilot assembled: queue, metering, model caller, workers and the agent, plus the few
 * operations the HTTP routes need (request, state, undo). The hooks in one place, Hocuspocus
 * style: admit → queue → run (agent) → record. Owns: wiring. Must not touch: SQL, sockets' frames.
 */
import { createHash, randomUUID } from 'node:crypto'
import {
  CHAT_KEY,
  type ChatMessage,
  type DiagramLayout,
  type DiagramSpec,
  FIRST_PAGE_ID,
  type JobEvent,
  layoutDiagram,
  type TLRecord,
  type TLShape,
  writeRecords,
} from '@drawbridge/shared'
import type { AiConfig } from '../config'
import type { Logger } from '../logger'
import { readBoardRecords } from '../persistence/readBoard'
import type { JobEventSink } from '../realtime/jobEvents'
import type { Admission, Job, JobRequest, JobStore } from '../storage/copilot/jobStore'
import type { UsageStore } from '../storage/copilot/usageStore'
import type { AgentLinks, CopilotStore } from '../storage/storage'
import type { RoomRegistry } from '../sync/roomRegistry'
import { Origins } from '../sync/transactionOrigin'
import { answersWithoutModel } from './agent/intent'
import { runAgentJob } from './agent/runAgentJob'
import { LayoutPool } from './layout/layoutPool'
import { ModelCaller } from './models/modelCaller'
import { Workers } from './queue/worker'

/** A job claimed this many times without finishing is given up (it keeps killing its instance). */
const MAX_ATTEMPTS = 3

/** Diagrams up to this many nodes are laid out on the event loop; larger ones in the layout worker. */
const LAYOUT_HERE_MAX_NODES = 30

export interface AiServiceDeps {
  config: AiConfig
  /** The queue's and the metering's tables. */
  store: CopilotStore
  /** The agent's own link into a room while it works on a job. */
  links: AgentLinks
  registry: RoomRegistry
  /** Where this server listens, for the agent's own WebSocket. */
  serverUrl: () => string
  log: Logger
}

export class AiService {
  readonly jobs: JobStore
  readonly usage: UsageStore
  readonly instanceId = randomUUID()
  private events: JobEventSink = { emit: () => undefined }
  private readonly workers: Workers
  private readonly layouts: LayoutPool

  constructor(private readonly deps: AiServiceDeps) {
    const { config } = deps
    this.jobs = deps.store.queue({
      queueMax: config.queueMax,
      ageingSeconds: config.ageingSeconds,
      leaseMs: config.jobLeaseMs,
      maxAttempts: MAX_ATTEMPTS,
      plannerPerMinute: config.plannerPerMinute,
      anonymousPerAddress: config.anonymousPerAddress,
    })
    this.usage = deps.store.usage
    this.layouts = new LayoutPool(deps.log.child({ module: 'ai-layout' }))
    this.workers = new Workers(
      this.jobs,
      this.usage,
      (job, control) => this.run(job, control),
      { emit: (event) => this.events.emit(event) },
      {
        instanceId: this.instanceId,
        concurrency: config.workers,
        pollMs: config.pollMs,
        leaseMs: config.jobLeaseMs,
        budget: {
          requestsPerWindow: config.globalRequestsPerMinute,
          tokensPerWindow: config.globalTokensPerMinute,
          windowMs: config.globalWindowMs,
        },
        exportUrlOf: (jobId) => exportUrlOf(jobId),
      },
      deps.log.child({ module: 'ai-workers' }),
    )
  }

  /** Whether a model is configured (otherwise the built-in planner answers). */
  get hasModel(): boolean {
    return this.deps.config.registry !== undefined
  }

  /** Connects the event sink (socket.io) and starts this instance's workers. */
  start(events: JobEventSink): void {
    this.events = events
    this.workers.start()
  }

  async stop(): Promise<void> {
    await this.workers.stop()
    await this.layouts.close()
  }

  /**
   * Queues a request: on admission the prompt joins the room's chat at once (everyone sees what
   * was asked) and the requester learns the job's place in the queue.
   */
  async request(input: Omit<JobRequest, 'metered'>): Promise<Admission> {
    // Decided before queueing: what the built-in planner answers spends no model quota.
    const metered = !answersWithoutModel(input.prompt, input.attachment, this.hasModel)
    const admission = await this.jobs.enqueue({ ...input, metered })
    if (!admission.ok) return admission
    const job = admission.job
    const text = job.attachment ? `${job.prompt}\n📎 ${job.attachment.name}`.trim() : job.prompt
    const message: ChatMessage = {
      id: `prompt:${job.id}`,
      at: job.createdAt.getTime(),
      // Never the anonymous requester key itself: it holds the person's IP address.
      author: {
        id: job.userId ?? `anon:${createHash('sha256').update(job.requester).digest('hex').slice(0, 16)}`,
        name: job.authorName || 'Someone',
        kind: 'human',
      },
      text,
      jobId: job.id,
    }
    await this.deps.registry.withRoom(job.roomId, (room) => {
      room.doc.transact(() => room.doc.getArray<ChatMessage>(CHAT_KEY).push([message]), Origins.aiService)
    })
    this.events.emit({ type: 'ai:queued', jobId: job.id, position: admission.position })
    this.workers.nudge()
    return admission
  }

  /** The event that describes a job now: what a late subscriber or a poller is told. */
  async currentState(jobId: string): Promise<JobEvent | undefined> {
    const job = await this.jobs.get(jobId)
    if (!job) return undefined
    switch (job.status) {
      case 'queued':
        return { type: 'ai:queued', jobId, position: (await this.jobs.position(jobId)) ?? 1 }
      case 'running':
        return job.shapes > 0
          ? { type: 'ai:progress', jobId, shapes: job.shapes }
          : { type: 'ai:started', jobId }
      case 'succeeded':
        return {
          type: 'ai:done',
          jobId,
          shapes: job.shapes,
          exportUrl: exportUrlOf(jobId),
          ...(job.result?.bounds ? { bounds: job.result.bounds } : {}),
        }
      case 'nothing':
        return {
          type: 'ai:nothing',
          jobId,
          reason: job.reason ?? 'nothing-to-draw',
          message: job.result?.reply ?? '',
        }
      case 'failed':
        return { type: 'ai:failed', jobId, error: job.error ?? 'failed' }
    }
  }

  /**
   * Reverts a finished job in its room, once however many ask at the same moment: deletes what it
   * created and puts back what it replaced, as one change. Shapes people put inside a frame the job
   * drew stay, moved onto the page where they were; arrows bound to a deleted shape are unbound.
   */
  async undo(job: Job): Promise<{ removed: number; restored: number }> {
    // Counted in shapes people see (boxes, frames, arrows), not records: an arrow's bindings are
    // records too, and "21 shapes removed" for 11 on the board is not what happened.
    const taken = await this.jobs.takeUndo(job.id)
    if (!taken) return { removed: 0, restored: 0 }
    return this.deps.registry.withRoom(job.roomId, (room) => {
      const records = readBoardRecords(room.doc, this.deps.log)
      const removed = new Set(taken.created.filter((id) => records.has(id)))
      const restore = (taken.replaced as TLRecord[]).filter(
        (record) => record && typeof record.id === 'string',
      )
      const restoring = new Map(restore.map((record) => [record.id, record]))
      const put: TLRecord[] = [...restore]
      for (const record of records.values()) {
        if (removed.has(record.id) || restoring.has(record.id)) continue
        if (record.typeName === 'binding' && (removed.has(record.fromId) || removed.has(record.toId))) {
          removed.add(record.id)
        } else if (record.typeName === 'shape' && removed.has(record.parentId)) {
          put.push(movedOutOf(record, records, removed))
        }
      }
      writeRecords(room.doc, { put, remove: [...removed] as TLRecord['id'][] }, Origins.aiService)
      const isShapeId = (id: string) => records.get(id)?.typeName === 'shape'
      return {
        removed: taken.created.filter((id) => removed.has(id) && isShapeId(id)).length,
        restored: restore.filter((record) => record.typeName === 'shape').length,
      }
    })
  }

  /**
   * Lays a diagram out (ELK). A small diagram is laid out here in a few milliseconds — less than a
   * round trip to the worker, which also may still be starting; a large one would stall every room.
   */
  layout(spec: DiagramSpec): Promise<DiagramLayout> {
    return spec.nodes.length <= LAYOUT_HERE_MAX_NODES ? layoutDiagram(spec) : this.layouts.layout(spec)
  }

  private run(job: Job, control: { stillOwned: () => boolean; signal: AbortSignal }) {
    const log = this.deps.log.child({ module: 'ai-agent', jobId: job.id })
    const caller = new ModelCaller(
      {
        maxRetries: this.deps.config.maxRetries,
        retryBaseMs: this.deps.config.retryBaseMs,
        timeoutMs: this.deps.config.timeoutMs,
      },
      (call) => this.usage.record(call, { jobId: job.id, roomId: job.roomId, userId: job.userId }),
      log,
    )
    return runAgentJob(job, {
      links: this.deps.links,
      serverUrl: this.deps.serverUrl(),
      registry: this.deps.config.registry,
      caller,
      exportUrl: exportUrlOf(job.id),
      stillOwned: control.stillOwned,
      signal: control.signal,
      layout: (spec) => this.layout(spec),
      progress: (shapes) => {
        this.events.emit({ type: 'ai:progress', jobId: job.id, shapes })
        void this.jobs.reportShapes(job.id, shapes).catch(() => undefined)
      },
      log,
    })
  }
}

/** `shape` re-parented to the nearest ancestor that stays (a page at last), at the same page position. */
function movedOutOf(shape: TLShape, records: Map<string, TLRecord>, removed: Set<string>): TLShape {
  let { x, y } = shape
  let parent = records.get(shape.parentId)
  while (parent?.typeName === 'shape' && removed.has(parent.id)) {
    x += parent.x
    y += parent.y
    parent = records.get(parent.parentId)
  }
  const parentId = parent?.id ?? FIRST_PAGE_ID
  return { ...shape, x, y, parentId: parentId as TLShape['parentId'] }
}

/** Relative URL of the draw.io export of exactly what a job drew. */
export function exportUrlOf(jobId: string): string {
  return `/api/ai/jobs/${jobId}/export.drawio`
}
