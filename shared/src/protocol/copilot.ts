/**
 * The co-pilot's wire contracts, written once for the server and the client: the AI request body
 * (`POST /api/links/<id>/ai`) and its 202 / 429 / error replies, the job status reply
 * (`GET /api/ai/jobs/<id>`), the quota reply, the undo reply, and the socket.io job events
 * (`subscribe { jobId }` in; `ai:queued` … `ai:failed` out). The server validates what it reads
 * and types what it sends with these; the client parses what arrives with them.
 * Owns: these schemas and their inferred types. Must not touch: the network, the doc, the queue.
 */
import { z } from 'zod'
import { absent } from './fields'
import { ApiError } from './http'
import { LimitName, LimitScope, PlanName } from './plans'

/** The name the built-in co-pilot's peer shows in presence and the chat. */
export const COPILOT_NAME = 'Co-pilot'

/** Longest prompt, in characters. */
export const PROMPT_MAX = 8000
/** Largest text file the co-pilot turns into a diagram, in characters. */
export const ATTACHMENT_MAX = 256 * 1024
/** The chat shows at most this much of a requester's name (the column's cap), in characters. */
export const AUTHOR_NAME_MAX = 64
/** Page coordinates beyond this are no place anyone looks at. */
const MAX_COORDINATE = 1e7

/** A contract's checked value type, for peers that use the schemas without depending on zod. */
export type Infer<S extends z.ZodType> = z.output<S>
/** Any contract whose checked value is `T`. */
export type Contract<T> = z.ZodType<T>

/** `nothing`: the job ended without drawing anything (its reply in the chat says why). */
export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'nothing'])
export type JobStatus = z.infer<typeof JobStatus>

/** Why a job drew nothing (status `nothing`). */
export const NothingReason = z.enum(['needs-model', 'unreadable', 'nothing-to-draw', 'answered'])
export type NothingReason = z.infer<typeof NothingReason>

/** A box on a page, in page coordinates: where someone looks, or where a drawing is. */
export const PageBox = z.object({
  pageId: z.string().min(1).max(128),
  x: z.number(),
  y: z.number(),
  w: z.number(),
  h: z.number(),
})
export type PageBox = z.infer<typeof PageBox>

/** A text, Markdown, Mermaid (.mmd) or CSV file sent with a prompt. */
export const Attachment = z.object({
  name: z.string().trim().min(1).max(200),
  text: z.string().min(1).max(ATTACHMENT_MAX),
})
export type Attachment = z.infer<typeof Attachment>

/** `POST /api/links/<id>/ai`: a prompt, an attachment, or both. */
export const AiRequestBody = z.object({
  prompt: z.string().trim().max(PROMPT_MAX).default(''),
  selection: z.array(z.string().min(1).max(200)).max(2000).default([]),
  attachment: Attachment.optional(),
  /** Where the requester is looking: the drawing goes there (page coordinates). */
  viewport: PageBox.extend({
    x: z.number().min(-MAX_COORDINATE).max(MAX_COORDINATE),
    y: z.number().min(-MAX_COORDINATE).max(MAX_COORDINATE),
    w: z.number().positive().max(MAX_COORDINATE),
    h: z.number().positive().max(MAX_COORDINATE),
  }).optional(),
  /** The requester's presence name ("Guest 8186"), shown as the chat author. */
  authorName: z
    .string()
    .max(200)
    .transform((name) =>
      name
        .replace(/[\p{Cc}\p{Cf}]/gu, '')
        .trim()
        .slice(0, AUTHOR_NAME_MAX),
    )
    .optional(),
})
/** What a client sends (before defaults and clean-up). */
export type AiRequestBody = z.input<typeof AiRequestBody>

/** 202: the request is queued; `position` 1 is next. */
export const AiAccepted = z.object({ jobId: z.string().min(1), position: z.number() })
export type AiAccepted = z.infer<typeof AiAccepted>

/** 429: a limit was hit (Retry-After says the same as `retryAfterSeconds`). */
export const AiLimitReply = ApiError.extend({
  limit: LimitName,
  scope: LimitScope,
  plan: PlanName,
  retryAfterSeconds: z.number(),
})
export type AiLimitReply = z.infer<typeof AiLimitReply>

/** What a job's model calls cost. */
export const JobUsage = z.object({
  calls: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
})

/** `GET /api/ai/jobs/<id>`: where a job stands. */
export const JobReply = z.object({
  id: z.string().min(1),
  status: JobStatus,
  reason: absent(NothingReason),
  /** The chat reply of a job that drew nothing. */
  message: absent(z.string()),
  position: absent(z.number()),
  error: absent(z.string()),
  shapes: absent(z.number()),
  attempts: absent(z.number()),
  exportUrl: absent(z.string()),
  /** Where the drawing is, so the requester's camera can show it. */
  bounds: absent(PageBox),
  usage: absent(JobUsage),
})
export type JobReply = z.infer<typeof JobReply>

/** A limit is null on plans without one. */
const limit = z.number().nullable()
/** `GET /api/links/<id>/ai/quota`: the plan, its limits, what is used and what is left. */
export const QuotaReply = z.object({
  plan: PlanName,
  limits: z.object({ perHour: limit, perDay: limit, concurrent: limit }),
  used: z.object({ hour: z.number(), day: z.number(), running: z.number() }),
  remaining: z.object({ hour: limit, day: limit }),
  /** Whether a model answers (without one, only the built-in planner draws). */
  model: absent(z.boolean()),
})
export type QuotaReply = z.infer<typeof QuotaReply>

/** `POST /api/ai/jobs/<id>/undo`: how many records were removed and restored. */
export const UndoReply = z.object({ removed: z.number(), restored: z.number() })
export type UndoReply = z.infer<typeof UndoReply>

/** socket.io `subscribe` / `unsubscribe` payload (the server's ack says whether it worked). */
export const JobSubscription = z.object({ jobId: z.uuid() })
export type JobSubscription = z.infer<typeof JobSubscription>
/** The server's acknowledgement of `subscribe`; the job's current state follows as its event. */
export const JobSubscriptionAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: z.string() }),
])
export type JobSubscriptionAck = z.infer<typeof JobSubscriptionAck>

const jobId = z.string().min(1)
/** socket.io events a subscriber receives, by event name, and their payloads. */
export const JOB_EVENT_PAYLOADS = {
  'ai:queued': z.object({ jobId, position: z.number() }),
  'ai:started': z.object({ jobId }),
  'ai:progress': z.object({ jobId, shapes: z.number() }),
  'ai:done': z.object({ jobId, shapes: z.number(), exportUrl: z.string(), bounds: absent(PageBox) }),
  /** It ended without drawing anything; `message` is its chat reply. */
  'ai:nothing': z.object({ jobId, reason: NothingReason, message: z.string() }),
  'ai:failed': z.object({ jobId, error: z.string() }),
} as const
export type JobEventName = keyof typeof JOB_EVENT_PAYLOADS
export type JobEventPayload<K extends JobEventName> = z.infer<(typeof JOB_EVENT_PAYLOADS)[K]>
/** One event as the server emits it: its name in `type`, sent along with the payload. */
export type JobEvent = { [K in JobEventName]: { type: K } & JobEventPayload<K> }[JobEventName]
