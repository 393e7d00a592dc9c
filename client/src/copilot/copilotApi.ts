/**
 * The co-pilot's HTTP API as the client uses it: send a prompt, read a job, read the plan's quota,
 * undo a job, download a draw.io export. Every answer is checked before use; failures become a
 * `CopilotRequestError` carrying what the server said (status, limit, retry delay).
 * Owns: these requests. Must not touch: the doc, the editor, sockets (see jobEvents.ts).
 */
import { authHeaders } from '../account/session'
import { CheckError, maybe, nullable, number, object, oneOf, type Parser, string } from './check'

export const PROMPT_MAX = 8000
/** Largest text file the co-pilot turns into a diagram (the server's cap, in characters). */
export const ATTACHMENT_MAX = 256 * 1024

/** A text, Markdown, Mermaid (.mmd) or CSV file sent with a prompt. */
export interface Attachment {
  name: string
  text: string
}

/** `nothing`: the job ended without drawing anything (its reply in the chat says why). */
export const JobStatus = oneOf('queued', 'running', 'succeeded', 'failed', 'nothing')
export type JobStatus = ReturnType<typeof JobStatus>

/** Why a job drew nothing. */
export const NothingReason = oneOf('needs-model', 'unreadable', 'nothing-to-draw', 'answered')
export type NothingReason = ReturnType<typeof NothingReason>

/** A box on a page, in page coordinates: where someone looks, or where a drawing is. */
export const parsePageBox = object({
  pageId: string({ min: 1, max: 128 }),
  x: number,
  y: number,
  w: number,
  h: number,
})
export type PageBox = ReturnType<typeof parsePageBox>

export const parseJob = object({
  id: string({ min: 1 }),
  status: JobStatus,
  reason: maybe(NothingReason),
  position: maybe(number),
  error: maybe(string()),
  shapes: maybe(number),
  exportUrl: maybe(string()),
  bounds: maybe(parsePageBox),
})
export type Job = ReturnType<typeof parseJob>

const parseAccepted = object({ jobId: string({ min: 1 }), position: number })
export type Accepted = ReturnType<typeof parseAccepted>

/** A limit may be absent (null) on plans without one. */
const limit = nullable(number)
export const parseQuota = object({
  plan: oneOf('free', 'basic', 'pro', 'enterprise'),
  limits: object({ perHour: limit, perDay: limit, concurrent: limit }),
  used: object({ hour: number, day: number, running: number }),
  remaining: object({ hour: limit, day: limit }),
})
export type Quota = ReturnType<typeof parseQuota>

const parseUndone = object({ removed: number, restored: number })
export type Undone = ReturnType<typeof parseUndone>

const parseErrorBody = object({
  error: maybe(string()),
  limit: maybe(oneOf('hour', 'day', 'concurrent', 'minute')),
  retryAfterSeconds: maybe(number),
})
export type LimitName = 'hour' | 'day' | 'concurrent' | 'minute'

/** A request that did not succeed: `status` 0 means the server could not be reached. */
export class CopilotRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly limit?: LimitName,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

async function request<T>(path: string, parse: Parser<T>, init: RequestInit = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { ...authHeaders(), ...init.headers } })
  } catch {
    throw new CopilotRequestError(0, 'Cannot reach the server.')
  }
  const body: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    let details: ReturnType<typeof parseErrorBody> = {}
    try {
      details = parseErrorBody(body ?? {})
    } catch {
      // An error body we cannot read still has a status.
    }
    const header = Number(response.headers.get('retry-after'))
    const retryAfter =
      details.retryAfterSeconds ?? (Number.isFinite(header) && header > 0 ? header : undefined)
    throw new CopilotRequestError(
      response.status,
      details.error ?? `The server answered ${response.status}.`,
      details.limit,
      retryAfter,
    )
  }
  try {
    return parse(body)
  } catch (error) {
    if (error instanceof CheckError) {
      throw new CopilotRequestError(response.status, `Unexpected answer from the server (${error.message}).`)
    }
    throw error
  }
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** What goes with a prompt besides its text. */
export interface RequestContext {
  selection: string[]
  attachment?: Attachment
  /** Where the person looks: the drawing goes there. */
  viewport?: PageBox
  /** Their presence name, shown as the chat author. */
  authorName?: string
}

export const copilotApi = {
  send: (linkId: string, prompt: string, context: RequestContext) =>
    request(
      `/api/links/${encodeURIComponent(linkId)}/ai`,
      parseAccepted,
      json({
        prompt,
        ...(context.selection.length > 0 ? { selection: context.selection } : {}),
        ...(context.attachment ? { attachment: context.attachment } : {}),
        ...(context.viewport ? { viewport: context.viewport } : {}),
        ...(context.authorName?.trim() ? { authorName: context.authorName.trim().slice(0, 64) } : {}),
      }),
    ),

  job: (jobId: string, linkId: string) =>
    request(`/api/ai/jobs/${encodeURIComponent(jobId)}`, parseJob, { headers: { 'x-link-id': linkId } }),

  quota: (linkId: string) => request(`/api/links/${encodeURIComponent(linkId)}/ai/quota`, parseQuota),

  undo: (jobId: string, linkId: string) =>
    request(`/api/ai/jobs/${encodeURIComponent(jobId)}/undo`, parseUndone, {
      method: 'POST',
      headers: { 'x-link-id': linkId },
    }),
}

/** Downloads a same-origin `.drawio` export with this person's credentials (a plain link cannot send them). */
export async function downloadExport(url: string, linkId: string): Promise<void> {
  let response: Response
  try {
    response = await fetch(url, { headers: { ...authHeaders(), 'x-link-id': linkId } })
  } catch {
    throw new CopilotRequestError(0, 'Cannot reach the server.')
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: unknown }
    throw new CopilotRequestError(
      response.status,
      typeof body.error === 'string' ? body.error : `The server answered ${response.status}.`,
    )
  }
  const blob = await response.blob()
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1]
  const href = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = href
  link.download = name ?? url.split('/').pop() ?? 'copilot.drawio'
  link.click()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}
