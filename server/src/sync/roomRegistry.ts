/**
 * Which rooms are in memory. Loads a room once however many clients arrive together (the load
 * finishes before anyone is answered), unloads it after it has been empty for `roomIdleMs` with
 * its writes flushed and its update rows compacted into its snapshot, and flushes everything on
 * shutdown. Must not touch: sockets' frames, HTTP.
 */
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { buildDocument } from '../persistence/documentLoader'
import { DocumentWriter, readDoc, type WriterOptions } from '../persistence/documentWriter'
import { logMalformedEntries } from '../persistence/readBoard'
import type { Storage } from '../storage/storage'
import { type VersionOptions, VersionRecorder } from '../versions/versionRecorder'
import { Room } from './room'

export interface RegistryOptions extends WriterOptions {
  roomIdleMs: number
  maxPendingWriteBytes: number
  /** Largest single update (or sync step 2) a client may send; above it the sender is closed. */
  maxUpdateBytes: number
  versions: VersionOptions
}

/** How loaded rooms are shared with other instances (Redis); absent on a single instance. */
export interface RoomSharing {
  attach(room: Room): Promise<void>
  detach(roomId: string): Promise<void>
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>()
  /** Rooms being flushed on their way out; a reopen waits for them so it reads their last writes. */
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly idleTimers = new Map<string, NodeJS.Timeout>()
  private readonly recorders = new Map<string, VersionRecorder>()
  private readonly versionTimer: NodeJS.Timeout

  constructor(
    private readonly storage: Pick<Storage, 'documents' | 'versions'>,
    private readonly options: RegistryOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly sharing?: RoomSharing,
  ) {
    this.versionTimer = setInterval(
      () => {
        for (const recorder of this.recorders.values()) void recorder.recordIfDue()
      },
      Math.min(options.versions.intervalMs, 30_000),
    )
    this.versionTimer.unref()
  }

  /** The loaded room, loading it (once) if needed. */
  async open(roomId: string): Promise<Room> {
    for (;;) {
      const timer = this.idleTimers.get(roomId)
      if (timer) {
        clearTimeout(timer)
        this.idleTimers.delete(roomId)
      }
      let loading = this.rooms.get(roomId)
      if (!loading) {
        loading = this.load(roomId)
        this.rooms.set(roomId, loading)
        loading.catch(() => this.rooms.delete(roomId))
      }
      const room = await loading
      if (!room.unloaded) return room
    }
  }

  /** Runs `use` on the loaded room (loading it if needed) and lets it unload afterwards if nobody is in it. */
  async withRoom<T>(roomId: string, use: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.open(roomId)
    try {
      return await use(room)
    } finally {
      this.releaseIfIdle(room)
    }
  }

  /** Rooms currently in memory (loaded, not loading). */
  async loadedRooms(): Promise<Room[]> {
    return Promise.all([...this.rooms.values()])
  }

  get size(): number {
    return this.rooms.size
  }

  /** Bytes received by loaded rooms and not yet in the database (non-zero while it is unreachable). */
  async pendingWriteBytes(): Promise<number> {
    const settled = await Promise.allSettled([...this.rooms.values()])
    return settled.reduce(
      (sum, result) => sum + (result.status === 'fulfilled' ? result.value.writer.bufferedBytes : 0),
      0,
    )
  }

  private async load(roomId: string): Promise<Room> {
    await this.unloading.get(roomId)
    const log = this.log.child({ roomId })
    const [stored, stats] = await Promise.all([
      this.storage.documents.load(roomId),
      this.storage.documents.stats(roomId),
    ])
    const { doc, corrupt } = buildDocument(stored, log)
    if (corrupt.length > 0) await this.storage.documents.quarantine(roomId, corrupt)
    logMalformedEntries(doc, log)
    const writer = new DocumentWriter(
      roomId,
      this.storage.documents,
      this.options,
      this.metrics,
      log,
      stats,
      readDoc(doc),
    )
    const room = new Room(
      roomId,
      doc,
      writer,
      this.options.maxPendingWriteBytes,
      this.options.maxUpdateBytes,
      this.metrics,
      log,
      (empty) => this.releaseIfIdle(empty),
      // Loaded from one snapshot row alone: its bytes are the whole state, sent as they are.
      stored.snapshot && stored.updates.length === 0 ? stored.snapshot : undefined,
    )
    const recorder = new VersionRecorder(room, this.storage.versions, this.options.versions, log)
    this.recorders.set(roomId, recorder)
    writer.onCompacted = () => void recorder.recordIfDue(true)
    await this.sharing?.attach(room)
    this.metrics.roomsLoaded.inc()
    log.debug({ storedUpdates: stored.updates.length, snapshot: stored.snapshot !== null }, 'room loaded')
    return room
  }

  /** Starts the idle timer of a room nobody is in (e.g. its only client left while it loaded). */
  releaseIfIdle(room: Room): void {
    if (room.connections.size > 0 || room.unloaded) return
    const existing = this.idleTimers.get(room.roomId)
    if (existing) clearTimeout(existing)
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.roomId)
      if (room.connections.size === 0) this.unload(room)
    }, this.options.roomIdleMs)
    this.idleTimers.set(room.roomId, timer)
  }

  /**
   * Flushes and lets go of a room. An idle unload also compacts it (the next cold open then reads one
   * snapshot row); a shutdown does not, so SIGTERM stays prompt — the next idle unload compacts.
   */
  private unload(room: Room, compact = true): void {
    this.rooms.delete(room.roomId)
    room.unloaded = true
    const recorder = this.recorders.get(room.roomId)
    this.recorders.delete(room.roomId)
    const done = Promise.resolve(this.sharing?.detach(room.roomId))
      .then(() => room.writer.settle())
      .then(() => (compact ? room.writer.compactIfLogged() : undefined))
      .then(() => recorder?.recordIfDue(true))
      .then(() => recorder?.stop())
      .then(() => {
        room.destroy()
        this.metrics.roomsLoaded.dec()
      })
      .finally(() => {
        if (this.unloading.get(room.roomId) === done) this.unloading.delete(room.roomId)
      })
    this.unloading.set(room.roomId, done)
  }

  /** Drops a deleted room from memory without writing anything more for it. */
  async discard(roomId: string): Promise<void> {
    const loading = this.rooms.get(roomId)
    if (!loading) return
    this.rooms.delete(roomId)
    const timer = this.idleTimers.get(roomId)
    if (timer) clearTimeout(timer)
    this.idleTimers.delete(roomId)
    const room = await loading.catch(() => undefined)
    if (!room) return
    room.writer.abandon()
    this.recorders.get(roomId)?.stop()
    this.recorders.delete(roomId)
    await this.sharing?.detach(roomId)
    room.destroy()
    this.metrics.roomsLoaded.dec()
  }

  /** Flushes and unloads every room (shutdown). Callers close the sockets first. */
  async closeAll(): Promise<void> {
    clearInterval(this.versionTimer)
    for (const timer of this.idleTimers.values()) clearTimeout(timer)
    this.idleTimers.clear()
    const rooms = await Promise.allSettled([...this.rooms.values()])
    for (const result of rooms) if (result.status === 'fulfilled') this.unload(result.value, false)
    await Promise.all([...this.unloading.values()])
  }
}
