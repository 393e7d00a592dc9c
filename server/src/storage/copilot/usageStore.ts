/**
 * Metering: one `usage_records` row per model call, the totals people see (by day and model), and
 * the global budget (model calls and tokens per window, across every instance) that makes jobs
 * wait rather than fail. Owns: the usage_records SQL. Must not touch: models, the queue's rows.
 */
import type { SqlClient } from '../sqlClient'

/** One attempt against one model, as usage_records stores it. */
export interface ModelCallRecord {
  model: string
  tokensIn: number
  tokensOut: number
  costUsd: number
  success: boolean
  latencyMs: number
  error: string | undefined
}

export interface UsageTotal {
  day: string
  model: string
  calls: number
  failures: number
  tokensIn: number
  tokensOut: number
  costUsd: number
}

export interface GlobalBudget {
  requestsPerWindow: number
  tokensPerWindow: number
  windowMs: number
}

export class UsageStore {
  constructor(private readonly db: SqlClient) {}

  async record(
    call: ModelCallRecord,
    context: { jobId: string; roomId: string; userId: string | null },
  ): Promise<void> {
    await this.db.query(
      `insert into usage_records (job_id, room_id, user_id, model, tokens_in, tokens_out, cost_usd, success, latency_ms, error)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        context.jobId,
        context.roomId,
        context.userId,
        call.model,
        call.tokensIn,
        call.tokensOut,
        call.costUsd,
        call.success,
        Math.round(call.latencyMs),
        call.error?.slice(0, 500) ?? null,
      ],
    )
  }

  /** Totals by UTC day and model, newest first, for a user (their requests and their rooms) or one room. */
  async totals(scope: { userId: string } | { roomId: string }, days = 30): Promise<UsageTotal[]> {
    const where =
      'userId' in scope
        ? `(u.user_id = $1 or u.room_id in (select id from rooms where owner_id = $1))`
        : 'u.room_id = $1'
    const rows = await this.db.query<{
      day: string
      model: string
      calls: number
      failures: number
      tokens_in: number
      tokens_out: number
      cost_usd: string | number
    }>(
      `select to_char(date_trunc('day', u.created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, u.model,
              count(*)::int as calls, count(*) filter (where not u.success)::int as failures,
              coalesce(sum(u.tokens_in), 0)::int as tokens_in, coalesce(sum(u.tokens_out), 0)::int as tokens_out,
              coalesce(sum(u.cost_usd), 0) as cost_usd
         from usage_records u
        where ${where} and u.created_at > now() - ($2::int * interval '1 day')
        group by 1, 2 order by 1 desc, 2`,
      ['userId' in scope ? scope.userId : scope.roomId, days],
    )
    return rows.map((row) => ({
      day: row.day,
      model: row.model,
      calls: row.calls,
      failures: row.failures,
      tokensIn: row.tokens_in,
      tokensOut: row.tokens_out,
      costUsd: Number(row.cost_usd),
    }))
  }

  /** What one job's model calls used, all attempts together. */
  async totalsOfJob(
    jobId: string,
  ): Promise<{ calls: number; tokensIn: number; tokensOut: number; costUsd: number }> {
    const [row] = await this.db.query<{
      calls: number
      tokens_in: number
      tokens_out: number
      cost_usd: string | number
    }>(
      `select count(*)::int as calls, coalesce(sum(tokens_in), 0)::int as tokens_in,
              coalesce(sum(tokens_out), 0)::int as tokens_out, coalesce(sum(cost_usd), 0) as cost_usd
         from usage_records where job_id = $1`,
      [jobId],
    )
    return {
      calls: row?.calls ?? 0,
      tokensIn: row?.tokens_in ?? 0,
      tokensOut: row?.tokens_out ?? 0,
      costUsd: Number(row?.cost_usd ?? 0),
    }
  }

  /**
   * How long to wait before the next model call fits the global budget: 0 when it fits now,
   * otherwise until the oldest call in the window leaves it.
   */
  async waitNeeded(budget: GlobalBudget): Promise<number> {
    // Computed with the database's clock, the one the rows were stamped with.
    const [row] = await this.db.query<{ calls: number; tokens: number; wait_ms: number | string | null }>(
      `select count(*)::int as calls, coalesce(sum(tokens_in + tokens_out), 0)::int as tokens,
              extract(epoch from (min(created_at) + ($1::float8 * interval '1 millisecond') - now())) * 1000 as wait_ms
         from usage_records where created_at > now() - ($1::float8 * interval '1 millisecond')`,
      [budget.windowMs],
    )
    if (!row || (row.calls < budget.requestsPerWindow && row.tokens < budget.tokensPerWindow)) return 0
    return Math.max(50, Math.ceil(Number(row.wait_ms ?? 0)))
  }
}
