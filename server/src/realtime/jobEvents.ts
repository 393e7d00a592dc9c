/**
 * AI job progress pushed over socket.io (ARCHITECTURE §3): a client emits `subscribe { jobId }`
 * and receives `ai:queued { position }`, `ai:started`, `ai:progress { shapes }`, `ai:done`,
 * `ai:failed { error }` for that job. With REDIS_URL the Redis adapter carries events between
 * instances, so the instance running a job reaches subscribers connected anywhere.
 * Owns: the socket.io server. Must not touch: the queue's SQL, the document.
 */
import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import type { Redis } from 'ioredis'
import { Server } from 'socket.io'
import { z } from 'zod'
import type { Logger } from '../logger'

export const SOCKET_IO_PATH = '/socket.io/'

/** What a subscriber receives, by event name. */
export type JobEvent =
  | { type: 'ai:queued'; jobId: string; position: number }
  | { type: 'ai:started'; jobId: string }
  | { type: 'ai:progress'; jobId: string; shapes: number }
  | { type: 'ai:done'; jobId: string; shapes: number; exportUrl: string }
  | { type: 'ai:failed'; jobId: string; error: string }

/** Where the queue and the agent report; the socket.io server is one implementation. */
export interface JobEventSink {
  emit(event: JobEvent): void
}

const Subscribe = z.object({ jobId: z.uuid() })

const roomOf = (jobId: string) => `job:${jobId}`

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
    redis?: { pub: Redis; sub: Redis; prefix: string },
  ) {
    this.io = new Server(http, {
      path: SOCKET_IO_PATH,
      serveClient: false,
      // The /yjs upgrade awaits a database look-up before answering; engine.io must leave it be.
      destroyUpgrade: false,
      maxHttpBufferSize: 16 * 1024,
    })
    this.redisSub = redis?.sub
    if (redis) this.io.adapter(createAdapter(redis.pub, redis.sub, { key: `${redis.prefix}socket.io` }))
    this.io.on('connection', (socket) => {
      socket.on('subscribe', async (payload: unknown, acknowledge?: unknown) => {
        const parsed = Subscribe.safeParse(payload)
        const ack = typeof acknowledge === 'function' ? (acknowledge as (reply: unknown) => void) : undefined
        if (!parsed.success) {
          ack?.({ ok: false, error: 'subscribe needs { jobId } (a uuid)' })
          return
        }
        // Knowing a job's id (an unguessable uuid, given to its requester and shown in its room's
        // chat) is what entitles one to its progress.
        await socket.join(roomOf(parsed.data.jobId))
        try {
          const state = await this.currentState(parsed.data.jobId)
          if (!state) {
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
        const parsed = Subscribe.safeParse(payload)
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
