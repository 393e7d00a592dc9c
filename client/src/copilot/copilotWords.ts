/**
 * What the panel says: request errors, job progress and the plan's quota, in words a person reads
 * ("Hourly limit reached — try again in 23 min", "Queued — 2 ahead of you", "4 of 5 left this hour").
 * Owns: wording only. Must not touch: the network, the doc, React.
 */
import { CopilotRequestError, type Job, type Quota } from './copilotApi'

/** "45 s", "23 min", "5 h", "5 h 10 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds))
  if (s < 60) return `${s} s`
  const minutes = Math.ceil(s / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}

/** Why sending a prompt (or undoing a job) did not work. `elapsedSeconds` counts down a retry delay. */
export function describeError(error: unknown, elapsedSeconds = 0): string {
  if (!(error instanceof CopilotRequestError)) {
    return error instanceof Error ? error.message : String(error)
  }
  const left = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds - elapsedSeconds
  const retry =
    left === undefined ? '' : left > 0 ? ` — try again in ${formatWait(left)}` : ' — try again now'
  switch (error.status) {
    case 0:
      return 'Cannot reach the server — check your connection and try again.'
    case 429:
      if (error.limit === 'hour') return `Hourly limit reached${retry || ' — try again later'}`
      if (error.limit === 'day') return `Daily limit reached${retry || ' — try again tomorrow'}`
      if (error.limit === 'concurrent')
        return 'Your other co-pilot requests are still running — try again when one finishes'
      if (error.limit === 'minute') return `Many diagrams in a minute${retry || ' — try again shortly'}`
      return `Too many requests${retry || ' — try again shortly'}`
    case 503:
      return 'The co-pilot is busy — try again shortly'
    case 401:
    case 403:
      return `The co-pilot needs an edit link: ${error.message}`
    case 400:
      return `The co-pilot could not take that request: ${error.message}`
    case 404:
    case 409:
    case 410:
      return error.message
    default:
      return `The co-pilot is unavailable: ${error.message}`
  }
}

/** One line about a job this person sent: where it is in the queue, how far along, how it ended. */
export function describeJob(job: Job): string {
  switch (job.status) {
    case 'queued': {
      if (job.position === undefined) return 'Queued…'
      // Positions are 1-based: 1 is the next job to run.
      const ahead = job.position - 1
      return ahead <= 0 ? 'Queued — next in line' : `Queued — ${ahead} ahead of you`
    }
    case 'running':
      return job.shapes ? `Drawing… ${job.shapes} ${job.shapes === 1 ? 'shape' : 'shapes'}` : 'Drawing…'
    case 'succeeded':
      return job.shapes
        ? `Done — ${job.shapes} ${job.shapes === 1 ? 'shape' : 'shapes'} drawn`
        : 'Done — the answer is in the chat'
    case 'failed':
      return `The co-pilot could not finish: ${job.error ?? 'the model failed'}`
    case 'nothing':
      return NOTHING_WORDS[job.reason ?? 'nothing-to-draw']
  }
}

const NOTHING_WORDS: Record<NonNullable<Job['reason']>, string> = {
  'needs-model': 'Nothing drawn — that needs a model (see the chat)',
  unreadable: 'Nothing drawn — the text could not be read (see the chat)',
  'nothing-to-draw': 'Nothing drawn — there was nothing to draw in that text',
  answered: 'Answered in the chat',
}

/** "4 of 5 left this hour · 19 of 20 today", or the limit that is currently in the way. */
export function describeQuota(quota: Quota): string {
  const part = (remaining: number | null, limit: number | null, when: string) =>
    limit === null || remaining === null
      ? `no limit ${when}`
      : `${Math.max(0, remaining)} of ${limit} left ${when}`
  return `${part(quota.remaining.hour, quota.limits.perHour, 'this hour')} · ${part(quota.remaining.day, quota.limits.perDay, 'today')}`
}

const PLAN_NAMES: Record<Quota['plan'], string> = {
  free: 'Free plan',
  basic: 'Basic plan',
  pro: 'Pro plan',
  enterprise: 'Enterprise plan',
}

export const planName = (quota: Quota): string => PLAN_NAMES[quota.plan]
