/**
 * The co-pilot's HTTP API as the client uses it: send a prompt, read a job, read the plan's quota,
 * undo a job, download a draw.io export. Every answer is checked before use; failures become a
 * `CopilotRequestError` carrying what the server said (status, limit, retry delay).
 * Bodies and replies are the shared contracts' (`@drawbridge/shared`, protocol/copilot.ts).
 * Owns: these requests. Must not touch: the doc, the editor, sockets (see jobEvents.ts), the contracts.
 */
import {
  AiAccepted,
  type AiRequestBody,
  type Attachment,
  AUTHOR_NAME_MAX,
  type Contract,
  type Infer,
  JobReply,
  LINK_ID_HEADER,
  type PageBox,
  QuotaReply,
  UndoReply,
} from '@drawbridge/shared'
import { authHeaders } from '../account/session'
import { ApiRequestError, readReply, refusalOf } from '../app/api'

export {
  ATTACHMENT_MAX,
  type Attachment,
  type JobStatus,
  type LimitName,
  NothingReason,
  type PageBox,
  PROMPT_MAX,
} from '@drawbridge/shared'

/** A job as the client follows it: the status reply's fields that the panel shows. */
const JobView = JobReply.pick({
  id: true,
  status: true,
  reason: true,
  position: true,
  error: true,
  shapes: true,
  exportUrl: true,
  bounds: true,
})
export type Job = Infer<typeof JobView>
export type Accepted = AiAccepted
export type Quota = QuotaReply
export type Undone = UndoReply

/** The quota reply, checked (throws when it is not one). */
export const parseQuota = (value: unknown): Quota => QuotaReply.parse(value)

/** A co-pilot request that did not succeed (the API's error, with the limit a 429 names). */
export { ApiRequestError as CopilotRequestError }

/** Fetches with this person's credentials; an unreachable server is status 0. */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(path, { ...init, headers: { ...authHeaders(), ...init.headers } })
  } catch {
    throw new ApiRequestError(0, 'Cannot reach the server.')
  }
}

async function request<T>(path: string, schema: Contract<T>, init: RequestInit = {}): Promise<T> {
  return readReply(await send(path, init), schema)
}

const json = (body: AiRequestBody): RequestInit => ({
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
      AiAccepted,
      json({
        prompt,
        ...(context.selection.length > 0 ? { selection: context.selection } : {}),
        ...(context.attachment ? { attachment: context.attachment } : {}),
        ...(context.viewport ? { viewport: context.viewport } : {}),
        ...(context.authorName?.trim()
          ? { authorName: context.authorName.trim().slice(0, AUTHOR_NAME_MAX) }
          : {}),
      }),
    ),

  job: (jobId: string, linkId: string) =>
    request(`/api/ai/jobs/${encodeURIComponent(jobId)}`, JobView, { headers: { [LINK_ID_HEADER]: linkId } }),

  quota: (linkId: string) => request(`/api/links/${encodeURIComponent(linkId)}/ai/quota`, QuotaReply),

  undo: (jobId: string, linkId: string) =>
    request(`/api/ai/jobs/${encodeURIComponent(jobId)}/undo`, UndoReply, {
      method: 'POST',
      headers: { [LINK_ID_HEADER]: linkId },
    }),
}

/** Downloads a same-origin `.drawio` export with this person's credentials (a plain link cannot send them). */
export async function downloadExport(url: string, linkId: string): Promise<void> {
  const response = await send(url, { headers: { [LINK_ID_HEADER]: linkId } })
  if (!response.ok) throw await refusalOf(response)
  const blob = await response.blob()
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1]
  const href = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = href
  link.download = name ?? url.split('/').pop() ?? 'copilot.drawio'
  link.click()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}
