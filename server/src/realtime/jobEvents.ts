/**
 * AI job progress pushed over socket.io (docs/architecture.md, "Wire and HTTP"): a client emits `subscribe { jobId }`
 * and receives `ai:queued { position }`, `ai:started`, `ai:progress { shapes }`, `ai:done
 * { shapes, exportUrl, bounds? }`, `ai:nothing { reason, message }` (it ended without drawing
 * anything) or `ai:failed { error }` for that job — the payloads are the shared contract's
 * (`JobEvent`, `JobSubscription` in `@drawbridge/shared`). With REDIS_URL the Redis adapter carries
 * events between instances, so the instance running a job reaches subscribers connected anywhere.
 * Owns: the socket.io server. Must not touch: the queue's SQL, the document, the event contracts.
 */
import type { Server as HttpServer } from 'node:http'
import { type JobEvent, JobSubscription, type JobSubscriptionAck } from '@drawbridge/shared'
import type { createAdapter } from '@socket.io/redis-adapter'
import type { Redis } from 'ioredis'
import { Server } from 'socket.io'
import type { Logger } from '../logger'

export const SOCKET_IO_PATH = '/socket.io/'

/** Where the queue and the agent report; the socket.io server is one implementation. */
export interface JobEventSink {
  emit(event: JobEvent): void
}

const roomOf = (jobId: string) => `job:${jobId}`

/** Jobs one connection may follow at once (a page follows the few its person sent). */
const MAX_JOBS_PER_SOCKET = 50

/** The Redis commands the adapter sends without handling their failure. */
const UNHANDLED_COMMANDS = new Set<PropertyKey>([
  'publish',
  'psubscribe',
  'subscribe',
  'punsubscribe',
  'unsubscribe',
])

/**
 * `client` as the adapter sees it: a failed publish or subscribe is logged instead of left as an
 * unhandled rejection, which would end the process — a publish fails at once while Redis is down
 * (no offline queue). Meanwhile events reach this instance's own subscribers only.
 */
function handledFailures(client: Redis, log: Logger): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      if (!UNHANDLED_COMMANDS.has(property)) return value.bind(target)
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args)
        if (result instanceof Promise)
          result.catch((error: Error) =>
            log.warn({ err: error.message, command: String(property) }, 'socket.io redis command failed'),
          )
        return result
      }
    },
  })
}

export class JobEvents implements JobEventSink {
  private readonly io: Server
  /** The adapter's subscriber connection, which this class owns (the publisher is shared). */
  private readonly redisSub: Redis | undefined

  /**
   * @param currentState the event that describes a job now (sent to each new subscriber, so one
   *   who subscribes late still learns where the job stands); undefined for an unknown job.
   */
  constructor(
    http: HttpServer,
    private readonly currentState: (jobId: string) => Promise<JobEvent | undefined>,
    private readonly log: Logger,
    redis?: { pub: Redis; sub: Redis; prefix: string; createAdapter: typeof createAdapter },
  ) {
    this.io = new Server(http, {
      path: SOCKET_IO_PATH,
      serveClient: false,
      // The /yjs upgrade awaits a database look-up before answering; engine.io must leave it be.
      destroyUpgrade: false,
      maxHttpBufferSize: 16 * 1024,
    })
    this.redisSub = redis?.sub
    if (redis) {
      // The subscriber is a lazy duplicate of the bus's publisher, which has no offline queue: the
      // adapter's subscribe commands, sent before it has connected, would be refused (and, being
      // unhandled, end the process). Queue them until it is connected instead.
      redis.sub.options.enableOfflineQueue = true
      redis.sub.on('error', (error: Error) =>
        log.warn({ err: error.message }, 'socket.io redis subscriber error'),
      )
      this.io.adapter(
        redis.createAdapter(handledFailures(redis.pub, log), handledFailures(redis.sub, log), {
          key: `${redis.prefix}socket.io`,
        }),
      )
    }
    this.io.on('connection', (socket) => {
      socket.on('subscribe', async (payload: unknown, acknowledge?: unknown) => {
        const parsed = JobSubscription.safeParse(payload)
        const ack =
          typeof acknowledge === 'function' ? (acknowledge as (reply: JobSubscriptionAck) => void) : undefined
        if (!parsed.success) {
          ack?.({ ok: false, error: 'subscribe needs { jobId } (a uuid)' })
          return
        }
        const room = roomOf(parsed.data.jobId)
        // socket.rooms holds the socket's own room too.
        if (!socket.rooms.has(room) && socket.rooms.size > MAX_JOBS_PER_SOCKET) {
          ack?.({ ok: false, error: `At most ${MAX_JOBS_PER_SOCKET} jobs per connection.` })
          return
        }
        // Knowing a job's id (an unguessable uuid, given to its requester and shown in its room's
        // chat) is what entitles one to its progress. Joined before the state is read, so no event
        // falls between the two; left again when there is no such job.
        await socket.join(room)
        try {
          const state = await this.currentState(parsed.data.jobId)
          if (!state) {
            await socket.leave(room)
            ack?.({ ok: false, error: 'No such job.' })
            return
          }
          ack?.({ ok: true })
          socket.emit(state.type, state)
        } catch (error) {
          this.log.warn({ err: error }, 'job state look-up failed')
          ack?.({ ok: false, error: 'Job state is unavailable right now.' })
        }
      })
      socket.on('unsubscribe', async (payload: unknown) => {
        const parsed = JobSubscription.safeParse(payload)
        if (parsed.success) await socket.leave(roomOf(parsed.data.jobId))
      })
    })
  }

  emit(event: JobEvent): void {
    this.io.to(roomOf(event.jobId)).emit(event.type, event)
  }

  /** Disconnects subscribers; io.close() is not used because it would close the HTTP server too. */
  async close(): Promise<void> {
    this.io.disconnectSockets(true)
    this.io.engine.close()
    await this.io.of('/').adapter.close()
    await this.redisSub?.quit().catch(() => undefined)
  }
}
