/**
 * Rows of `ai_jobs` as the database returns them, turned into jobs; the columns read and what
 * counts against a plan's model quota. Owns: that mapping. Must not touch: queries' logic.
 */
import { toDate } from '../sqlRows'
import type { Attachment, Job, JobResult, JobStatus, NothingReason, PlanName, Viewport } from './jobTypes'

export interface JobRow {
  id: string
  room_id: string
  user_id: string | null
  requester: string
  author_name: string
  plan: PlanName
  prompt: string
  selection: string[] | string
  attachment: Attachment | string | null
  status: JobStatus
  reason: NothingReason | null
  metered: boolean
  viewport: Viewport | string | null
  attempts: number
  error: string | null
  result: JobResult | string | null
  shapes: number
  created_at: Date | string
  started_at: Date | string | null
  finished_at: Date | string | null
}

export const JOB_COLUMNS = `id, room_id, user_id, requester, author_name, plan, prompt, selection, attachment, status, reason,
  metered, viewport, attempts, error, result, shapes, created_at, started_at, finished_at`

/** A job that counts against the plan's model quota: metered, and not failed. */
export const COUNTED = `(metered and status <> 'failed')`

/**
 * JSON columns are written as text cast to jsonb (`$n::text::jsonb`): bound straight to a jsonb
 * parameter, postgres.js encodes the JSON text once more and stores a jsonb *string*. Reads accept
 * both (rows written before).
 */
export const json = <T>(value: T | string): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : value

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    roomId: row.room_id,
    userId: row.user_id,
    requester: row.requester,
    authorName: row.author_name,
    plan: row.plan,
    prompt: row.prompt,
    selection: json(row.selection),
    attachment: row.attachment === null ? null : json(row.attachment),
    status: row.status,
    reason: row.reason,
    metered: row.metered,
    viewport: row.viewport === null ? null : json(row.viewport),
    attempts: row.attempts,
    error: row.error,
    result: row.result === null ? null : json(row.result),
    shapes: row.shapes,
    createdAt: toDate(row.created_at)!,
    startedAt: toDate(row.started_at),
    finishedAt: toDate(row.finished_at),
  }
}

export interface UsedRow {
  hour: number
  day: number
  active: number
  oldest_hour: Date | string | null
  oldest_day: Date | string | null
  key_hour: number
  key_day: number
  key_oldest_hour: Date | string | null
  key_oldest_day: Date | string | null
  minute: number
  oldest_minute: Date | string | null
}

/** Seconds until the oldest counted request (at `from`) leaves a window of `windowSeconds`. */
export function secondsUntil(from: Date | string | null | undefined, windowSeconds: number): number {
  const start = toDate(from ?? null)
  if (!start) return 1
  return Math.max(1, Math.ceil(windowSeconds - (Date.now() - start.getTime()) / 1000))
}
