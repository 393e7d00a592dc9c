/**
 * The durable AI request queue in Postgres/PGlite (`ai_jobs`): admission under the plan's limits,
 * priority by plan with ageing, claims with `FOR UPDATE SKIP LOCKED` and leases (so two instances
 * never run one job and a crashed instance's job runs again), results and positions.
 * Owns: the ai_jobs and plans SQL. Must not touch: models, the document, sockets.
 */
import { randomUUID } from 'node:crypto'
import { LockClass } from '../lockClasses'
import type { SqlClient } from '../sqlClient'
import { COUNTED, JOB_COLUMNS, type JobRow, json, secondsUntil, toJob, type UsedRow } from './jobRows'
import type {
  Admission,
  AdmissionLimits,
  Job,
  JobRequest,
  JobResult,
  LimitName,
  LimitScope,
  NothingReason,
  PlanLimits,
  PlanName,
  Usage,
} from './jobTypes'

export type * from './jobTypes'

/** Namespace for the per-quota-key admission lock (first half of the two-int advisory key). */

export interface QueueOptions extends AdmissionLimits {
  queueMax: number
  /** A queued job's priority improves by one step per this many seconds of waiting. */
  ageingSeconds: number
  /** A claimed job belongs to its instance until this long after the last renewal. */
  leaseMs: number
  /** A job that has been claimed this many times without finishing fails (a poison job). */
  maxAttempts: number
}

/** Lower runs first: the plan's priority, less one step per `ageingSeconds` waited. */
const SCORE = `(priority - extract(epoch from (now() - created_at)) / $AGEING)`

export class JobStore {
  constructor(
    private readonly db: SqlClient,
    private readonly options: QueueOptions,
  ) {}

  private score(parameter: number): string {
    return SCORE.replace('$AGEING', `$${parameter}::float8`)
  }

  async planOf(userId: string | null): Promise<PlanLimits> {
    const [row] = await this.db.query<{
      name: PlanName
      per_day: number
      per_hour: number
      concurrent: number
      priority: number
    }>(
      `select p.name, p.per_day, p.per_hour, p.concurrent, p.priority from plans p
        where p.name = coalesce((select plan from user_plans where user_id = $1), 'free')`,
      [userId],
    )
    if (!row) throw new Error('the plans table is empty: migrations have not run')
    return {
      plan: row.name,
      perDay: row.per_day,
      perHour: row.per_hour,
      concurrent: row.concurrent,
      priority: row.priority,
    }
  }

  async setPlan(userId: string, plan: PlanName): Promise<void> {
    await this.db.query(
      `insert into user_plans (user_id, plan) values ($1, $2)
         on conflict (user_id) do update set plan = excluded.plan, updated_at = now()`,
      [userId, plan],
    )
  }

  /**
   * How much of their plan's model quota a requester has used: counted jobs (metered, not failed)
   * in the last hour and day, and unfinished ones.
   */
  async usageOf(requester: string, userId: string | null): Promise<Usage> {
    const plan = await this.planOf(userId)
    const [row] = await this.db.query<{ hour: number; day: number; active: number }>(
      `select count(*) filter (where ${COUNTED} and created_at > now() - interval '1 hour')::int as hour,
              count(*) filter (where ${COUNTED})::int as day,
              count(*) filter (where status in ('queued', 'running'))::int as active
         from ai_jobs where requester = $1 and created_at > now() - interval '1 day'`,
      [requester],
    )
    return { plan, hour: row?.hour ?? 0, day: row?.day ?? 0, active: row?.active ?? 0 }
  }

  /**
   * Queues a request if the limits and the queue allow it, atomically per quota key (two
   * simultaneous requests cannot both take the last slot). A metered request (one for a model)
   * counts against the plan's day and hour — and, for anonymous link holders, against the limits of
   * their address across every board; one the planner answers only against the planner's
   * per-minute limit. Either waits for the plan's concurrency.
   */
  async enqueue(input: JobRequest): Promise<Admission> {
    const plan = await this.planOf(input.userId)
    const anonymous = input.userId === null
    const admitted = await this.db.transaction(async (tx): Promise<Admission> => {
      await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [
        LockClass.copilotAdmission,
        input.quotaKey,
      ])
      const [used] = await tx.query<UsedRow>(
        `select count(*) filter (where requester = $1 and ${COUNTED} and created_at > now() - interval '1 hour')::int as hour,
                count(*) filter (where requester = $1 and ${COUNTED})::int as day,
                count(*) filter (where requester = $1 and status in ('queued', 'running'))::int as active,
                min(created_at) filter (where requester = $1 and ${COUNTED} and created_at > now() - interval '1 hour') as oldest_hour,
                min(created_at) filter (where requester = $1 and ${COUNTED}) as oldest_day,
                count(*) filter (where quota_key = $2 and ${COUNTED} and created_at > now() - interval '1 hour')::int as key_hour,
                count(*) filter (where quota_key = $2 and ${COUNTED})::int as key_day,
                min(created_at) filter (where quota_key = $2 and ${COUNTED} and created_at > now() - interval '1 hour') as key_oldest_hour,
                min(created_at) filter (where quota_key = $2 and ${COUNTED}) as key_oldest_day,
                count(*) filter (where quota_key = $2 and not metered and created_at > now() - interval '1 minute')::int as minute,
                min(created_at) filter (where quota_key = $2 and not metered and created_at > now() - interval '1 minute') as oldest_minute
           from ai_jobs where (requester = $1 or quota_key = $2) and created_at > now() - interval '1 day'`,
        [input.requester, input.quotaKey],
      )
      const refusal = this.refusal(used, plan, input.metered, anonymous)
      if (refusal) return refusal
      const [queued] = await tx.query<{ count: number }>(
        `select count(*)::int as count from ai_jobs where status = 'queued'`,
      )
      if ((queued?.count ?? 0) >= this.options.queueMax) return { ok: false, reason: 'queue-full' }
      const [row] = await tx.query<JobRow>(
        `insert into ai_jobs (id, room_id, user_id, requester, quota_key, author_name, plan, prompt, selection,
                              attachment, viewport, metered, priority)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11::text::jsonb, $12, $13)
         returning ${JOB_COLUMNS}`,
        [
          randomUUID(),
          input.roomId,
          input.userId,
          input.requester,
          input.quotaKey,
          input.authorName,
          plan.plan,
          input.prompt,
          JSON.stringify(input.selection),
          input.attachment ? JSON.stringify(input.attachment) : null,
          input.viewport ? JSON.stringify(input.viewport) : null,
          input.metered,
          plan.priority,
        ],
      )
      return { ok: true, job: toJob(row!), position: 0 }
    })
    if (!admitted.ok) return admitted
    return { ...admitted, position: (await this.position(admitted.job.id)) ?? 1 }
  }

  /** The first limit a request would break, or undefined when it fits. */
  private refusal(
    used: UsedRow | undefined,
    plan: PlanLimits,
    metered: boolean,
    anonymous: boolean,
  ): Admission | undefined {
    const refuse = (
      limit: LimitName,
      scope: LimitScope,
      allowed: number,
      retryAfterSeconds: number,
    ): Admission => ({ ok: false, reason: 'limit', limit, scope, allowed, retryAfterSeconds, plan })
    const address = this.options.anonymousPerAddress
    if (metered) {
      if ((used?.day ?? 0) >= plan.perDay)
        return refuse('day', 'plan', plan.perDay, secondsUntil(used?.oldest_day, 86_400))
      if ((used?.hour ?? 0) >= plan.perHour)
        return refuse('hour', 'plan', plan.perHour, secondsUntil(used?.oldest_hour, 3_600))
      if (anonymous && (used?.key_day ?? 0) >= address.perDay)
        return refuse('day', 'address', address.perDay, secondsUntil(used?.key_oldest_day, 86_400))
      if (anonymous && (used?.key_hour ?? 0) >= address.perHour)
        return refuse('hour', 'address', address.perHour, secondsUntil(used?.key_oldest_hour, 3_600))
    } else if ((used?.minute ?? 0) >= this.options.plannerPerMinute) {
      return refuse('minute', 'planner', this.options.plannerPerMinute, secondsUntil(used?.oldest_minute, 60))
    }
    if ((used?.active ?? 0) >= plan.concurrent) return refuse('concurrent', 'plan', plan.concurrent, 30)
    return undefined
  }

  /**
   * Records something an MCP client already did on a board (a drawing, an edit) as a finished job
   * of kind 'mcp', so it can be undone like a co-pilot job. Never queued: no worker claims it.
   */
  async recordDone(input: {
    roomId: string
    userId: string | null
    requester: string
    authorName: string
    prompt: string
    result: JobResult
    shapes: number
  }): Promise<Job> {
    const [row] = await this.db.query<JobRow>(
      `insert into ai_jobs (id, kind, room_id, user_id, requester, quota_key, metered, author_name, plan, prompt,
                            status, priority, attempts, result, shapes, started_at, finished_at)
       values ($1, 'mcp', $2, $3, $4, $4, false, $5,
               coalesce((select plan from user_plans where user_id = $3), 'free'),
               $6, 'succeeded', 0, 1, $7::text::jsonb, $8, now(), now())
       returning ${JOB_COLUMNS}`,
      [
        randomUUID(),
        input.roomId,
        input.userId,
        input.requester.slice(0, 200),
        input.authorName.slice(0, 64),
        input.prompt.slice(0, 300_000),
        JSON.stringify(input.result),
        input.shapes,
      ],
    )
    return toJob(row!)
  }

  async get(jobId: string): Promise<Job | undefined> {
    const [row] = await this.db.query<JobRow>(`select ${JOB_COLUMNS} from ai_jobs where id = $1`, [jobId])
    return row ? toJob(row) : undefined
  }

  /** 1-based place of a queued job in the order jobs will be claimed; undefined when not queued. */
  async position(jobId: string): Promise<number | undefined> {
    return (await this.positions()).get(jobId)
  }

  /** Every queued job's place, in claim order. */
  async positions(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ id: string }>(
      `select id from ai_jobs where status = 'queued' order by ${this.score(1)}, created_at, id`,
      [this.options.ageingSeconds],
    )
    return new Map(rows.map((row, index) => [row.id, index + 1]))
  }

  /**
   * Claims the next job for `instanceId`: a running job whose lease expired (its instance died)
   * first, then the best-scored queued job. Jobs claimed too often fail instead (returned too, so
   * the caller can tell the room).
   */
  async claim(instanceId: string): Promise<{ job: Job; exhausted: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const [candidate] = await tx.query<{ id: string; attempts: number }>(
        `select id, attempts from ai_jobs
          where status = 'queued' or (status = 'running' and lease_until < now())
          order by case when status = 'running' then 0 else 1 end, ${this.score(1)}, created_at, id
          limit 1 for update skip locked`,
        [this.options.ageingSeconds],
      )
      if (!candidate) return undefined
      if (candidate.attempts >= this.options.maxAttempts) {
        const [row] = await tx.query<JobRow>(
          `update ai_jobs set status = 'failed', finished_at = now(), claimed_by = null, lease_until = null,
                  error = 'The co-pilot stopped while working on this request, too many times.'
            where id = $1 returning ${JOB_COLUMNS}`,
          [candidate.id],
        )
        return { job: toJob(row!), exhausted: true }
      }
      const [row] = await tx.query<JobRow>(
        `update ai_jobs set status = 'running', claimed_by = $2, attempts = attempts + 1,
                lease_until = now() + ($3::float8 * interval '1 millisecond'),
                started_at = coalesce(started_at, now())
          where id = $1 returning ${JOB_COLUMNS}`,
        [candidate.id, instanceId, this.options.leaseMs],
      )
      return { job: toJob(row!), exhausted: false }
    })
  }

  /** Extends the lease; false when the job is no longer this instance's (it must stop). */
  async renewLease(jobId: string, instanceId: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `update ai_jobs set lease_until = now() + ($3::float8 * interval '1 millisecond')
        where id = $1 and claimed_by = $2 and status = 'running' returning id`,
      [jobId, instanceId, this.options.leaseMs],
    )
    return rows.length > 0
  }

  async reportShapes(jobId: string, shapes: number): Promise<void> {
    await this.db.query('update ai_jobs set shapes = $2 where id = $1', [jobId, shapes])
  }

  /**
   * Marks the job done (`succeeded`, or `nothing` with its reason), once: false when another
   * instance finished it already. A job that called no model is no longer metered (refunded).
   */
  async succeed(
    jobId: string,
    instanceId: string,
    outcome: { result: JobResult; shapes: number; usedModel: boolean; nothing?: NothingReason },
  ): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `update ai_jobs set status = $5, reason = $6, result = $3::text::jsonb, shapes = $4, finished_at = now(),
              lease_until = null, error = null, metered = metered and $7
        where id = $1 and claimed_by = $2 and status = 'running' returning id`,
      [
        jobId,
        instanceId,
        JSON.stringify(outcome.result),
        outcome.shapes,
        outcome.nothing ? 'nothing' : 'succeeded',
        outcome.nothing ?? null,
        outcome.usedModel,
      ],
    )
    return rows.length > 0
  }

  async fail(jobId: string, instanceId: string, error: string, result: JobResult | null): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `update ai_jobs set status = 'failed', error = $3, result = $4::text::jsonb, finished_at = now(), lease_until = null
        where id = $1 and claimed_by = $2 and status = 'running' returning id`,
      [jobId, instanceId, error.slice(0, 2000), result ? JSON.stringify(result) : null],
    )
    return rows.length > 0
  }

  /** On a graceful stop: this instance's running jobs go back to the queue, to run again at once. */
  async release(instanceId: string): Promise<number> {
    const rows = await this.db.query<{ id: string }>(
      `update ai_jobs set status = 'queued', claimed_by = null, lease_until = null, attempts = greatest(attempts - 1, 0)
        where claimed_by = $1 and status = 'running' returning id`,
      [instanceId],
    )
    return rows.length
  }

  /**
   * Takes the job's undo information, once: the first caller gets what the job created and
   * replaced, and the row forgets it; a second, simultaneous undo gets nothing to do.
   */
  async takeUndo(jobId: string): Promise<Pick<JobResult, 'created' | 'replaced'> | undefined> {
    const rows = await this.db.query<{ result: JobResult | string }>(
      `update ai_jobs j set result = jsonb_set(j.result, '{created}', '[]'::jsonb) || '{"replaced": []}'::jsonb
         from (select id, result from ai_jobs where id = $1 for update) before
        where j.id = before.id and before.result is not null
          and (jsonb_array_length(before.result->'created') > 0 or jsonb_array_length(before.result->'replaced') > 0)
        returning before.result`,
      [jobId],
    )
    const row = rows[0]
    if (!row) return undefined
    const result = json<JobResult>(row.result)
    return { created: result.created ?? [], replaced: result.replaced ?? [] }
  }
}
