/**
 * The co-pilot queue's vocabulary: plans and their limits, a job and what it did, admission
 * answers. The names that cross the wire (plans, statuses, limits, a page box) are the shared
 * contracts' (`@drawbridge/shared`, protocol/copilot.ts). Owns: these types only.
 */
import type {
  Attachment,
  JobStatus,
  LimitName,
  LimitScope,
  NothingReason,
  PageBox,
  PlanName,
} from '@drawbridge/shared'

export type { Attachment, JobStatus, LimitName, LimitScope, NothingReason, PlanName }

/** Where the requester was looking when they asked: a page and a box on it, in page coordinates. */
export type Viewport = PageBox

export interface PlanLimits {
  plan: PlanName
  perDay: number
  perHour: number
  concurrent: number
  priority: number
}

/** What a job changed in the document, so it can be undone and exported. */
export interface JobResult {
  /** Ids of the records the job created (shapes, bindings). */
  created: string[]
  /** Records as they were before the job updated or deleted them. */
  replaced: unknown[]
  /** The chat reply. */
  reply: string
  /** For "export this to draw.io": what the job's export holds (the board, or these shape ids). */
  exportScope?: 'board' | string[]
  /** Where the drawing is (page coordinates), so the requester's camera can show it. */
  bounds?: Viewport
}

export interface Job {
  id: string
  roomId: string
  userId: string | null
  requester: string
  authorName: string
  plan: PlanName
  prompt: string
  selection: string[]
  attachment: Attachment | null
  status: JobStatus
  /** Why a job ended as `nothing`. */
  reason: NothingReason | null
  /** Whether the job counts against the plan's model quota. */
  metered: boolean
  viewport: Viewport | null
  attempts: number
  error: string | null
  result: JobResult | null
  shapes: number
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

export type Admission =
  | { ok: true; job: Job; position: number }
  | {
      ok: false
      reason: 'limit'
      limit: LimitName
      scope: LimitScope
      allowed: number
      retryAfterSeconds: number
      plan: PlanLimits
    }
  | { ok: false; reason: 'queue-full' }

/** What a request is, for admission. */
export interface JobRequest {
  roomId: string
  userId: string | null
  /** Whom the plan's limits count: `user:<uuid>`, or `anon:<room>:<address>`. */
  requester: string
  /** Whom the address-wide limits count: `user:<uuid>`, or `ip:<address>` across boards. */
  quotaKey: string
  authorName: string
  prompt: string
  selection: string[]
  attachment: Attachment | null
  viewport: Viewport | null
  /** false: the built-in planner answers it (no model), so the plan's model quota is not spent. */
  metered: boolean
}

/** Limits that are configuration rather than plans. */
export interface AdmissionLimits {
  plannerPerMinute: number
  anonymousPerAddress: { perHour: number; perDay: number }
}

export interface Usage {
  plan: PlanLimits
  hour: number
  day: number
  active: number
}
