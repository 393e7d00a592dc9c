/**
 * The queue's workers on one instance: wait for the global budget, claim the next job, keep its
 * lease alive while the agent runs it, record the outcome, and tell subscribers where every
 * queued job now stands. Owns: the run loop. Must not touch: SQL (JobStore/UsageStore do), the
 * document (the agent does).
 */
import type { Logger } from '../../logger'
import type { JobEventSink } from '../../realtime/jobEvents'
import type { Job, JobResult, JobStore, NothingReason } from '../../storage/copilot/jobStore'
import type { GlobalBudget, UsageStore } from '../../storage/copilot/usageStore'

export interface JobOutcome {
  /** `nothing`: the job ended without drawing or changing anything, for `reason`. */
  status: 'succeeded' | 'failed' | 'nothing'
  reason?: NothingReason
  result: JobResult
  shapes: number
  error?: string
  /** Whether a model was called: a job that called none spends no model quota. */
  usedModel: boolean
}

/**
 * Runs one claimed job. `stillOwned` turns false, and `signal` aborts, when the lease was lost or
 * the instance is stopping: stop writing, and stop waiting (a model's answer may take a minute).
 */
export type RunJob = (
  job: Job,
  control: { stillOwned: () => boolean; signal: AbortSignal },
) => Promise<JobOutcome>

export interface WorkerOptions {
  instanceId: string
  concurrency: number
  pollMs: number
  leaseMs: number
  budget: GlobalBudget
  exportUrlOf: (jobId: string) => string
}

export class Workers {
  private running = false
  private loops: Promise<void>[] = []
  private readonly sleepers = new Set<() => void>()
  /** Running jobs, each with what interrupts it. */
  private readonly active = new Map<string, AbortController>()

  constructor(
    private readonly jobs: JobStore,
    private readonly usage: UsageStore,
    private readonly runJob: RunJob,
    private readonly events: JobEventSink,
    private readonly options: WorkerOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running || this.options.concurrency === 0) return
    this.running = true
    for (let slot = 0; slot < this.options.concurrency; slot++) this.loops.push(this.loop(slot))
  }

  /** A job was queued here: look now instead of at the next poll. */
  nudge(): void {
    for (const wake of [...this.sleepers]) wake()
  }

  /** Waits `ms`, or less when nudged. */
  private nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.sleepers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.sleepers.add(wake)
    })
  }

  /** Tells every queued job's subscribers their current place. */
  async announcePositions(): Promise<void> {
    const positions = await this.jobs.positions()
    for (const [jobId, position] of positions) this.events.emit({ type: 'ai:queued', jobId, position })
  }

  /** Stops claiming, lets running jobs finish their current step, and hands unfinished ones back. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.nudge()
    const released = await this.jobs.release(this.options.instanceId).catch(() => 0)
    // Released jobs run again elsewhere; waiting here for their model calls would hold up the
    // shutdown (and the flush of every room after it) for as long as a model takes to answer.
    for (const interrupt of this.active.values()) interrupt.abort()
    if (released > 0) this.log.info({ released }, 'running AI jobs returned to the queue')
    await Promise.allSettled(this.loops)
    // A loop that finished a job after the release above owns nothing now; one that did not is requeued.
    await this.jobs.release(this.options.instanceId).catch(() => 0)
  }

  private async loop(slot: number): Promise<void> {
    while (this.running) {
      try {
        const wait = await this.usage.waitNeeded(this.options.budget)
        if (wait > 0) {
          this.log.debug({ slot, wait }, 'global AI budget spent: jobs wait')
          await this.nap(Math.min(wait, this.options.pollMs * 5))
          continue
        }
        const claimed = await this.jobs.claim(this.options.instanceId)
        if (!claimed) {
          await this.nap(this.options.pollMs)
          continue
        }
        if (claimed.exhausted) {
          this.events.emit({ type: 'ai:failed', jobId: claimed.job.id, error: claimed.job.error ?? 'failed' })
          continue
        }
        await this.announcePositions().catch(() => undefined)
        await this.execute(claimed.job)
        await this.announcePositions().catch(() => undefined)
      } catch (error) {
        this.log.error({ err: error, slot }, 'AI worker step failed')
        await this.nap(this.options.pollMs)
      }
    }
  }

  private async execute(job: Job): Promise<void> {
    const log = this.log.child({ jobId: job.id, attempt: job.attempts })
    const interrupt = new AbortController()
    this.active.set(job.id, interrupt)
    // Claimed while stop() was running: it was released already (or will be at the end of stop()).
    if (!this.running) interrupt.abort()
    let owned = true
    const renew = setInterval(
      () => {
        this.jobs
          .renewLease(job.id, this.options.instanceId)
          .then((still) => {
            if (still || !owned) return
            owned = false
            log.warn('AI job lease lost; another instance runs it')
            interrupt.abort()
          })
          .catch((error) => log.warn({ err: error }, 'lease renewal failed'))
      },
      Math.max(100, Math.floor(this.options.leaseMs / 3)),
    )
    log.info('AI job started')
    this.events.emit({ type: 'ai:started', jobId: job.id })
    try {
      const outcome = await this.runJob(job, {
        stillOwned: () => owned && this.running,
        signal: interrupt.signal,
      })
      if (!owned || !this.running) {
        log.info('AI job interrupted; it runs again from the queue')
        return
      }
      if (outcome.status === 'succeeded' || outcome.status === 'nothing') {
        const nothing = outcome.status === 'nothing' ? (outcome.reason ?? 'nothing-to-draw') : undefined
        const recorded = await this.jobs.succeed(job.id, this.options.instanceId, {
          result: outcome.result,
          shapes: outcome.shapes,
          usedModel: outcome.usedModel,
          nothing,
        })
        if (recorded && nothing) {
          this.events.emit({
            type: 'ai:nothing',
            jobId: job.id,
            reason: nothing,
            message: outcome.result.reply,
          })
        } else if (recorded) {
          this.events.emit({
            type: 'ai:done',
            jobId: job.id,
            shapes: outcome.shapes,
            exportUrl: this.options.exportUrlOf(job.id),
            ...(outcome.result.bounds ? { bounds: outcome.result.bounds } : {}),
          })
        }
      } else {
        const error = outcome.error ?? 'The co-pilot could not do that.'
        if (await this.jobs.fail(job.id, this.options.instanceId, error, outcome.result)) {
          this.events.emit({ type: 'ai:failed', jobId: job.id, error })
        }
      }
      log.info({ status: outcome.status, shapes: outcome.shapes }, 'AI job finished')
    } catch (error) {
      log.error({ err: error }, 'AI job crashed')
      const message = 'The co-pilot ran into an internal error.'
      if (owned && (await this.jobs.fail(job.id, this.options.instanceId, message, null)))
        this.events.emit({ type: 'ai:failed', jobId: job.id, error: message })
    } finally {
      clearInterval(renew)
      this.active.delete(job.id)
    }
  }
}
