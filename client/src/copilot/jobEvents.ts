/**
 * Following a co-pilot job: one socket.io connection per page (same origin, `/socket.io`) that
 * subscribes to each watched job's events, with polling of `GET /api/ai/jobs/<id>` every 2 s while
 * the socket is not connected (and now and then even when it is, in case an event was missed).
 * Updates are merged so a job never moves backwards (a late poll cannot undo "running").
 * Event payloads are checked against the shared contract (`JOB_EVENT_PAYLOADS` in `@drawbridge/shared`).
 * Owns: the socket and the polling timers. Must not touch: the doc, the editor, React state, the contracts.
 */

import {
  JOB_EVENT_PAYLOADS,
  type JobEventName,
  type JobEventPayload,
  type JobStatus,
  type JobSubscription,
} from '@drawbridge/shared'
import { io, type Socket } from 'socket.io-client'
import { authParams } from '../account/session'
import { copilotApi, type Job } from './copilotApi'

const POLL_MS = 2000
/** While the socket is connected, still poll every this many ticks (a missed event costs ≤ 10 s). */
const SAFETY_POLL_EVERY = 5

type Update = Partial<Omit<Job, 'id'>> & { status: JobStatus }
type Listener = (update: Update) => void

const RANK: Record<JobStatus, number> = { queued: 0, running: 1, succeeded: 2, failed: 2, nothing: 2 }
export const isFinished = (job: Job): boolean => RANK[job.status] === 2

/** `current` with `update` applied, or `current` itself when the update is stale or changes nothing. */
export function mergeJob(current: Job, update: Update): Job {
  if (RANK[update.status] < RANK[current.status] || isFinished(current)) return current
  const next: Job = { ...current, ...update }
  if (next.status !== 'queued') delete next.position
  if (update.status === current.status && current.shapes !== undefined && next.shapes !== undefined) {
    next.shapes = Math.max(current.shapes, next.shapes)
  }
  return JSON.stringify(next) === JSON.stringify(current) ? current : next
}

let socket: Socket | undefined
const listeners = new Map<string, Set<Listener>>()
const reconnectListeners = new Set<() => void>()

/** What each event says about its job. */
const TO_UPDATE: { [K in JobEventName]: (payload: JobEventPayload<K>) => Update } = {
  'ai:queued': (p) => ({ status: 'queued', position: p.position }),
  'ai:started': () => ({ status: 'running' }),
  'ai:progress': (p) => ({ status: 'running', shapes: p.shapes }),
  'ai:done': (p) => ({
    status: 'succeeded',
    shapes: p.shapes,
    exportUrl: p.exportUrl,
    ...(p.bounds ? { bounds: p.bounds } : {}),
  }),
  'ai:nothing': (p) => ({ status: 'nothing', reason: p.reason }),
  'ai:failed': (p) => ({ status: 'failed', error: p.error }),
}

/** Listens for one event: checks its payload, then tells that job's listeners. */
function follow<K extends JobEventName>(connection: Socket, name: K): void {
  connection.on(name as string, (raw: unknown) => {
    const parsed = JOB_EVENT_PAYLOADS[name].safeParse(raw)
    if (!parsed.success) return
    const payload = parsed.data as JobEventPayload<K>
    const update = TO_UPDATE[name](payload)
    for (const listener of listeners.get(payload.jobId) ?? []) listener(update)
  })
}

const subscription = (jobId: string): JobSubscription => ({ jobId })

function openSocket(): Socket {
  if (socket) return socket
  const created = io({
    path: '/socket.io',
    // Straight to WebSocket: behind a balancer without sticky sessions, long-polling's requests
    // could land on different instances. Polling GET /api/ai/jobs/<id> is the fallback.
    transports: ['websocket'],
    auth: (send) => send(authParams()),
    reconnectionDelayMax: 10_000,
  })
  created.on('connect', () => {
    for (const id of listeners.keys()) created.emit('subscribe', subscription(id))
    for (const listener of reconnectListeners) listener()
  })
  for (const name of Object.keys(JOB_EVENT_PAYLOADS) as JobEventName[]) follow(created, name)
  socket = created
  return created
}

function closeSocketIfIdle(): void {
  if (listeners.size > 0 || !socket) return
  socket.disconnect()
  socket = undefined
}

/**
 * Follows `initial` until it succeeds or fails, calling `onChange` with each new state.
 * Returns a function that stops following.
 */
export function watchJob(initial: Job, linkId: string, onChange: (job: Job) => void): () => void {
  let current = initial
  let stopped = false
  const apply = (update: Update) => {
    if (stopped) return
    const next = mergeJob(current, update)
    if (next === current) return
    current = next
    onChange(next)
    if (isFinished(next)) stop()
  }
  const poll = () => {
    void copilotApi.job(initial.id, linkId).then(
      ({ id: _id, ...job }) => apply(job),
      () => {}, // the next tick tries again
    )
  }

  const connection = openSocket()
  const own = listeners.get(initial.id) ?? new Set<Listener>()
  own.add(apply)
  listeners.set(initial.id, own)
  reconnectListeners.add(poll)
  if (connection.connected) connection.emit('subscribe', subscription(initial.id))
  poll() // catch up: a quick job may have finished before the subscription arrived

  let ticks = 0
  const timer = setInterval(() => {
    ticks += 1
    if (!connection.connected || ticks % SAFETY_POLL_EVERY === 0) poll()
  }, POLL_MS)

  function stop() {
    if (stopped) return
    stopped = true
    clearInterval(timer)
    reconnectListeners.delete(poll)
    own.delete(apply)
    if (own.size === 0) listeners.delete(initial.id)
    closeSocketIfIdle()
  }
  return stop
}
