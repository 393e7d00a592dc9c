/**
 * The co-pilot on the API: request a diagram (`POST /api/links/<id>/ai`), see the plan's quota,
 * follow a job by polling, undo it, export what it drew, and the usage report. Limits answer
 * 429 + Retry-After naming the limit hit; a full queue is 503. Bodies and replies are the shared
 * contracts' (`@drawbridge/shared`, protocol/copilot.ts and usage.ts).
 */

import type { IncomingMessage } from 'node:http'
import {
  type AiAccepted,
  type AiLimitReply,
  AiRequestBody,
  type ApiError,
  AUTHOR_NAME_MAX,
  type JobReply,
  LINK_ID_HEADER,
  type LimitName,
  type QuotaReply,
  recordsToMxfile,
  type TLRecord,
  UNMAPPED_HEADER,
  type UndoReply,
  type UsageReply,
} from '@drawbridge/shared'
import { exportUrlOf } from '../ai/aiService'
import { readBoardRecords } from '../persistence/readBoard'
import type { Admission } from '../storage/copilot/jobStore'
import type { ApiContext } from './context'
import { isUuid, requestUser, requireLink, requireOwner } from './guards'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

const LIMIT_WORDS: Record<LimitName, string> = {
  hour: 'requests per hour',
  day: 'requests per day',
  concurrent: 'requests at a time',
  minute: 'requests per minute',
}

/** Whom the limits count: an account, or (anonymous) a board + address and the address across boards. */
function requesterOf(
  context: ApiContext,
  request: IncomingMessage,
  roomId: string,
  userId: string | undefined,
) {
  if (userId) return { requester: `user:${userId}`, quotaKey: `user:${userId}` }
  const address = context.clientIp(request)
  return { requester: `anon:${roomId}:${address}`, quotaKey: `ip:${address}` }
}

function limitMessage(admission: Extract<Admission, { reason: 'limit' }>): string {
  const { plan, limit, scope, allowed, retryAfterSeconds } = admission
  const wait = `Try again in ${inWords(retryAfterSeconds)}.`
  if (scope === 'address')
    return `Without signing in, one network may send ${allowed} ${LIMIT_WORDS[limit]} across all boards. ${wait}`
  if (scope === 'planner') return `The co-pilot draws up to ${allowed} diagrams from text per minute. ${wait}`
  return `The ${plan.plan} plan allows ${allowed} ${LIMIT_WORDS[limit]}. ${wait}`
}

function inWords(seconds: number): string {
  if (seconds < 90) return `${seconds} s`
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} min`
  return `${Math.ceil(seconds / 3600)} h`
}

async function requireJob(context: ApiContext, jobId: string) {
  const job = isUuid(jobId) ? await context.ai.jobs.get(jobId) : undefined
  if (!job) throw new HttpError(404, 'No such co-pilot request.')
  return job
}

export const aiRoutes: Route<ApiContext>[] = [
  {
    method: 'POST',
    pattern: /^\/api\/links\/([^/]+)\/ai$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!, 'editor')
      const body = await readBody(request, AiRequestBody, context.maxAiBodyBytes)
      if (!body.prompt && !body.attachment) throw new HttpError(400, 'Say what to draw, or attach a file.')
      const user = grant.user
      const admission = await context.ai.request({
        roomId: grant.roomId,
        userId: user?.id ?? null,
        ...requesterOf(context, request, grant.roomId, user?.id),
        authorName: body.authorName || (user?.email?.split('@')[0] ?? 'Someone').slice(0, AUTHOR_NAME_MAX),
        prompt: body.prompt,
        selection: body.selection,
        attachment: body.attachment ?? null,
        viewport: body.viewport ?? null,
      })
      if (admission.ok) {
        const accepted: AiAccepted = { jobId: admission.job.id, position: admission.position }
        sendJson(response, 202, accepted)
        return
      }
      if (admission.reason === 'queue-full') {
        sendJson(
          response,
          503,
          {
            error: 'The co-pilot is busy: its queue is full. Try again shortly.',
            retryAfterSeconds: 30,
          } satisfies ApiError,
          { 'retry-after': '30' },
        )
        return
      }
      const { plan, limit, scope, retryAfterSeconds } = admission
      const refused: AiLimitReply = {
        error: limitMessage(admission),
        limit,
        scope,
        plan: plan.plan,
        retryAfterSeconds,
      }
      sendJson(response, 429, refused, { 'retry-after': String(retryAfterSeconds) })
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)\/ai\/quota$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!)
      const user = grant.user
      const { requester } = requesterOf(context, request, grant.roomId, user?.id)
      const usage = await context.ai.jobs.usageOf(requester, user?.id ?? null)
      const quota: QuotaReply = {
        plan: usage.plan.plan,
        limits: { perHour: usage.plan.perHour, perDay: usage.plan.perDay, concurrent: usage.plan.concurrent },
        used: { hour: usage.hour, day: usage.day, running: usage.active },
        remaining: {
          hour: Math.max(0, Math.min(usage.plan.perHour - usage.hour, usage.plan.perDay - usage.day)),
          day: Math.max(0, usage.plan.perDay - usage.day),
        },
        model: context.ai.hasModel,
      }
      sendJson(response, 200, quota)
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/ai\/jobs\/([^/]+)$/,
    async handle(context, _request, response, [jobId]) {
      const job = await requireJob(context, jobId!)
      const usage = await context.ai.usage.totalsOfJob(job.id)
      const reply: JobReply = {
        id: job.id,
        status: job.status,
        reason: job.reason ?? undefined,
        message: job.status === 'nothing' ? job.result?.reply : undefined,
        bounds: job.status === 'succeeded' ? job.result?.bounds : undefined,
        position: job.status === 'queued' ? await context.ai.jobs.position(job.id) : undefined,
        error: job.error ?? undefined,
        shapes: job.shapes,
        attempts: job.attempts,
        exportUrl: job.status === 'succeeded' ? exportUrlOf(job.id) : undefined,
        usage,
      }
      sendJson(response, 200, reply)
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/ai\/jobs\/([^/]+)\/undo$/,
    async handle(context, request, response, [jobId]) {
      const job = await requireJob(context, jobId!)
      const linkId = request.headers[LINK_ID_HEADER]
      if (typeof linkId !== 'string') throw new HttpError(400, 'Send the board link in X-Link-Id.')
      const grant = await requireLink(context, request, linkId, 'editor')
      if (grant.roomId !== job.roomId) throw new HttpError(403, 'That request was made on another board.')
      if (job.status === 'queued' || job.status === 'running')
        throw new HttpError(409, 'The co-pilot is still working on this request.')
      const undone: UndoReply = await context.ai.undo(job)
      sendJson(response, 200, undone)
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/ai\/jobs\/([^/]+)\/export\.drawio$/,
    async handle(context, request, response, [jobId]) {
      const job = await requireJob(context, jobId!)
      // The export reads the board as it is now: only someone who may still see the board gets it
      // (a job id alone, learnt from the chat, outlives a revoked link or a board made private).
      const linkId =
        request.headers[LINK_ID_HEADER] ?? new URL(request.url ?? '/', 'http://x').searchParams.get('link')
      if (typeof linkId !== 'string' || linkId === '') {
        throw new HttpError(401, 'Send the board link in X-Link-Id (or ?link=).')
      }
      const grant = await requireLink(context, request, linkId, 'viewer')
      if (grant.roomId !== job.roomId) throw new HttpError(403, 'That request was made on another board.')
      const created = new Set(job.result?.created ?? [])
      const scope = job.result?.exportScope
      const records = await context.registry.withRoom(job.roomId, (room) =>
        readBoardRecords(room.doc, context.log),
      )
      const subset = new Map<string, TLRecord>()
      const wanted =
        scope === 'board' ? undefined : new Set(Array.isArray(scope) && scope.length > 0 ? scope : created)
      for (const [id, record] of records) {
        const isContent = record.typeName === 'shape' || record.typeName === 'binding'
        if (!isContent || !wanted || wanted.has(id)) subset.set(id, record)
      }
      const exported = recordsToMxfile(subset, {})
      response.writeHead(200, {
        'content-type': 'application/vnd.jgraph.mxfile; charset=utf-8',
        'content-disposition': `attachment; filename="co-pilot-${job.id.slice(0, 8)}.drawio"`,
        'cache-control': 'no-store',
        [UNMAPPED_HEADER]: String(exported.unmapped.length),
      })
      response.end(exported.xml)
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/usage$/,
    async handle(context, request, response) {
      const query = new URL(request.url ?? '/', 'http://x').searchParams
      const roomId = query.get('roomId')
      const days = Math.min(366, Math.max(1, Number(query.get('days') ?? 30) || 30))
      if (roomId) {
        const room = await requireOwner(context, request, roomId)
        sendJson(response, 200, {
          scope: 'room',
          totals: await context.ai.usage.totals({ roomId: room.roomId }, days),
        } satisfies UsageReply)
        return
      }
      const user = await requestUser(context, request)
      if (!user) throw new HttpError(401, 'Sign in to see your usage, or ask for a room with its owner key.')
      sendJson(response, 200, {
        scope: 'user',
        totals: await context.ai.usage.totals({ userId: user.id }, days),
      } satisfies UsageReply)
    },
  },
]
