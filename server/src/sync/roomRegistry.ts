/**
 * Which rooms are in memory, and the lifecycle steps that load and unload them
 * (`roomHooks.ts`): loads a room once however many clients arrive together — the document source
 * builds its doc, then every extension attaches, before anyone is answered — unloads it after it has
 * been empty for `roomIdleMs` (the hooks flush its writes and compact it), and unloads everything
 * on shutdown. Must not touch: sockets' frames, HTTP, SQL.
 */
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { Room } from './room'
import type { DocumentSource, RoomExtension, UnloadReason } from './roomHooks'
import { RoomLifecycle } from './roomLifecycle'

export interface RegistryOptions {
  /** load: where rooms' docs come from (persistence), whose hooks come first. */
  documents: DocumentSource
  /** Everything else that follows a room's life (versions, replication), in the order they are called. */
  extensions: RoomExtension[]
  roomIdleMs: number
  maxPendingWriteBytes: number
  /** Largest single update (or sync step 2) a client may send; above it the sender is closed. */
  maxUpdateBytes: number
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Promise<Room>>()
  /** Rooms being flushed on their way out; a reopen waits for them so it reads their last writes. */
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly idleTimers = new Map<string, NodeJS.Timeout>()
  private readonly lifecycles = new Map<Room, RoomLifecycle>()
  /** Rooms being loaded: their whole stored state once read, if it is one snapshot (else undefined). */
  private readonly storedStates = new Map<string, Promise<Uint8Array | undefined>>()

  constructor(
    private readonly options: RegistryOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

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
      (sum, result) => sum + (result.status === 'fulfilled' ? result.value.store.bufferedBytes : 0),
      0,
    )
  }

  /**
   * While `roomId` loads: its whole state as stored, once read and before its doc is built (undefined
   * when it is not one snapshot row). Undefined when the room is not loading.
   */
  storedStateWhileLoading(roomId: string): Promise<Uint8Array | undefined> | undefined {
    return this.storedStates.get(roomId)
  }

  private async load(roomId: string): Promise<Room> {
    let announce: (state: Uint8Array | undefined) => void = () => {}
    this.storedStates.set(roomId, new Promise((resolve) => (announce = resolve)))
    try {
      return await this.build(roomId, (state) => announce(state))
    } finally {
      announce(undefined)
      this.storedStates.delete(roomId)
    }
  }

  private async build(roomId: string, onStoredState: (state: Uint8Array) => void): Promise<Room> {
    await this.unloading.get(roomId)
    const log = this.log.child({ roomId })
    const lifecycle = new RoomLifecycle(log)
    const loaded = await this.options.documents.load(roomId, log, lifecycle.store, onStoredState)
    lifecycle.add(loaded.store)
    const room = new Room({
      roomId,
      doc: loaded.doc,
      store: loaded.store,
      lifecycle,
      maxPendingWriteBytes: this.options.maxPendingWriteBytes,
      maxUpdateBytes: this.options.maxUpdateBytes,
      metrics: this.metrics,
      log,
      onEmpty: (empty) => this.releaseIfIdle(empty),
      encodedState: loaded.encodedState,
    })
    for (const extension of this.options.extensions) lifecycle.add(await extension.onLoad(room))
    this.lifecycles.set(room, lifecycle)
    this.metrics.roomsLoaded.inc()
    log.debug('room loaded')
    return room
  }

  /** Starts the idle timer of a room nobody is in (e.g. its only client left while it loaded). */
  releaseIfIdle(room: Room): void {
    if (room.connections.size > 0 || room.unloaded) return
    const existing = this.idleTimers.get(room.roomId)
    if (existing) clearTimeout(existing)
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.roomId)
      if (room.connections.size === 0) this.unload(room, 'idle')
    }, this.options.roomIdleMs)
    this.idleTimers.set(room.roomId, timer)
  }

  /** Lets go of a room: its hooks flush it (and, when it went idle, compact it), then it is released. */
  private unload(room: Room, reason: UnloadReason): void {
    this.rooms.delete(room.roomId)
    room.unloaded = true
    const done = (this.lifecycles.get(room)?.unload(reason) ?? Promise.resolve())
      .then(() => this.release(room))
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
    await this.lifecycles.get(room)?.discard()
    this.release(room)
  }

  private release(room: Room): void {
    this.lifecycles.delete(room)
    room.destroy()
    this.metrics.roomsLoaded.dec()
  }

  /** Flushes and unloads every room (shutdown). Callers close the sockets first. */
  async closeAll(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer)
    this.idleTimers.clear()
    const rooms = await Promise.allSettled([...this.rooms.values()])
    for (const result of rooms) if (result.status === 'fulfilled') this.unload(result.value, 'shutdown')
    await Promise.all([...this.unloading.values()])
  }
}
