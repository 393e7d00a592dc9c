/**
 * The Redis side of running several instances: one publisher and one subscriber connection, a
 * channel per loaded room, a heartbeat key per instance, and the periodic resync. A Redis outage
 * degrades to single-instance behaviour (publishes fail fast, nothing queues without bound) and
 * every room resyncs when the subscriber is back. The room extension of replication
 * (`sync/roomHooks.ts`): a room's load subscribes it, its unload or deletion unsubscribes it.
 * Must not touch: rooms' docs (RoomReplica does).
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { AccessChange } from '../rooms/accessChanges'
import type { RoomExtension, RoomHooks, RoomView } from '../sync/roomHooks'
import { TurnBatch } from '../turnBatch'
import { decodeBusMessage, encodeBusMessage } from './busProtocol'
import { RoomReplica } from './roomReplica'

export interface RedisBusOptions {
  url: string
  prefix: string
  resyncIntervalMs: number
  instanceTtlMs: number
}

export class RedisBus implements RoomExtension {
  readonly instanceId = randomUUID()
  private readonly replicas = new Map<string, RoomReplica>()
  private readonly timers: NodeJS.Timeout[] = []
  private subscriberWasReady = false
  /** This turn's publishes: sent together, in order, as one pipeline (one write) when the turn ends. */
  private readonly turnPublishes = new TurnBatch<[channel: string, payload: Buffer]>((publishes) =>
    this.sendTurnPublishes(publishes),
  )
  /** Called with access changes (revoked links, new roles, deleted rooms) other instances announce. */
  onAccessChange: ((change: AccessChange) => void) | undefined

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisBusOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  static async connect(options: RedisBusOptions, metrics: Metrics, log: Logger): Promise<RedisBus> {
    // ioredis is loaded only by a server configured with Redis (2 MB of heap the default never uses).
    const { Redis } = await import('ioredis')
    const common = { maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(times * 100, 2_000) }
    // No offline queue on the publisher: while Redis is down, publishes fail at once instead of piling up.
    const publisher = new Redis(options.url, { ...common, enableOfflineQueue: false, lazyConnect: true })
    const subscriber = new Redis(options.url, { ...common, lazyConnect: true })
    for (const connection of [publisher, subscriber]) {
      connection.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'))
    }
    await Promise.all([publisher.connect(), subscriber.connect()])
    const bus = new RedisBus(publisher, subscriber, options, metrics, log)
    bus.start()
    await subscriber.subscribe(bus.controlChannel)
    return bus
  }

  private start(): void {
    this.subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
      if (channel.toString('utf8') === this.controlChannel) return this.receiveControl(payload)
      const replica = this.replicas.get(channel.toString('utf8').slice(this.channelPrefix.length))
      const message = decodeBusMessage(new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength))
      if (!replica) return
      if (!message) return void this.log.warn('undecodable bus message dropped')
      try {
        replica.receive(message)
      } catch (error) {
        this.log.error({ err: error, roomId: replica.room.roomId }, 'bus message failed to apply')
      }
    })
    this.subscriber.on('ready', () => {
      // ioredis resubscribes by itself; whatever was published meanwhile is lost, so resync.
      if (this.subscriberWasReady) {
        this.log.info('redis subscriber reconnected; resyncing rooms')
        for (const replica of this.replicas.values()) replica.requestSync()
      }
      this.subscriberWasReady = true
    })
    this.subscriberWasReady = this.subscriber.status === 'ready'
    void this.beat()
    this.timers.push(setInterval(() => void this.beat(), Math.floor(this.options.instanceTtlMs / 3)))
    this.timers.push(setInterval(() => void this.resync(), this.options.resyncIntervalMs))
    for (const timer of this.timers) timer.unref()
  }

  private get controlChannel(): string {
    return `${this.options.prefix}control`
  }

  private receiveControl(payload: Buffer): void {
    let parsed: ReturnType<typeof AccessChange.safeParse>
    try {
      parsed = AccessChange.safeParse(JSON.parse(payload.toString('utf8')))
    } catch {
      return void this.log.warn('undecodable control message dropped')
    }
    if (!parsed.success) return void this.log.warn('invalid control message dropped')
    this.onAccessChange?.(parsed.data)
  }

  /** Tells every other instance about an access change (this instance applies it itself). */
  publishAccessChange(change: AccessChange): void {
    this.metrics.busMessagesOut.inc()
    this.publisher.publish(this.controlChannel, JSON.stringify(change)).catch((error: Error) => {
      this.metrics.busPublishFailures.inc()
      this.log.warn({ err: error.message }, 'access change not published')
    })
  }

  private get channelPrefix(): string {
    return `${this.options.prefix}room:`
  }

  private instanceKey(instanceId: string): string {
    return `${this.options.prefix}instance:${instanceId}`
  }

  /** load: starts sharing a freshly loaded room with the other instances. */
  async onLoad(room: RoomView): Promise<RoomHooks> {
    const replica = new RoomReplica(
      room,
      this.instanceId,
      (message) => this.publish(room.roomId, encodeBusMessage(message)),
      this.metrics,
      this.log.child({ roomId: room.roomId }),
    )
    this.replicas.set(room.roomId, replica)
    try {
      await this.subscriber.subscribe(this.channelPrefix + room.roomId)
    } catch (error) {
      this.log.warn(
        { err: error, roomId: room.roomId },
        'subscribe failed; the room resyncs when redis is back',
      )
    }
    replica.requestSync()
    const detach = () => this.detach(room.roomId)
    // Unloading: before the store's last flush, so a dead instance's updates are part of it.
    return {
      onChange: (update, origin) => replica.onChange(update, origin),
      onAwareness: (update, origin) => replica.onAwareness(update, origin),
      onStore: (event) => replica.onStore(event),
      beforeUnload: detach,
      onDiscard: detach,
    }
  }

  private async detach(roomId: string): Promise<void> {
    const replica = this.replicas.get(roomId)
    if (!replica) return
    replica.stop()
    // The room is leaving memory: whatever a dead instance never persisted must be written now.
    await replica.persistOrphans((id) => this.isAlive(id))
    this.replicas.delete(roomId)
    await this.subscriber.unsubscribe(this.channelPrefix + roomId).catch(() => undefined)
  }

  /** The publishing connection, for shared counters (rate limits). */
  get redis(): Redis {
    return this.publisher
  }

  get healthy(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready'
  }

  /**
   * Publishes at the end of this turn, with the turn's other publishes: under load one write to Redis
   * carries many rooms' updates instead of one write (and one reply) each.
   */
  private publish(roomId: string, payload: Uint8Array): void {
    this.metrics.busMessagesOut.inc()
    this.turnPublishes.add([this.channelPrefix + roomId, Buffer.from(payload)])
  }

  private sendTurnPublishes(publishes: Array<[channel: string, payload: Buffer]>): void {
    const failed = (error: Error) => {
      this.metrics.busPublishFailures.inc()
      this.log.debug({ err: error.message }, 'publish failed')
    }
    const pipeline = this.publisher.pipeline()
    for (const [channel, payload] of publishes) pipeline.publish(channel, payload)
    pipeline
      .exec()
      .then((results) => {
        for (const [error] of results ?? []) if (error) failed(error)
      })
      .catch(failed)
  }

  private async beat(): Promise<void> {
    await this.publisher
      .set(this.instanceKey(this.instanceId), '1', 'PX', this.options.instanceTtlMs)
      .catch(() => undefined)
  }

  private async isAlive(instanceId: string): Promise<boolean> {
    try {
      return (await this.publisher.exists(this.instanceKey(instanceId))) === 1
    } catch {
      return true // cannot tell while Redis is down: keep holding, decide later
    }
  }

  private async resync(): Promise<void> {
    if (!this.healthy) return
    for (const replica of this.replicas.values()) {
      replica.requestSync()
      await replica.persistOrphans((id) => this.isAlive(id))
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer)
    for (const roomId of [...this.replicas.keys()]) await this.detach(roomId)
    await this.publisher.del(this.instanceKey(this.instanceId)).catch(() => undefined)
    this.publisher.disconnect()
    this.subscriber.disconnect()
  }
}
