/**
 * Automatic versions, as a room extension (`sync/roomHooks.ts`): each loaded room gets a recorder
 * that records a version after activity, at most every `intervalMs`, on compaction and when the room
 * unloads, with the names of the people active since the previous version. A replica's change is
 * recorded by the instance it came from. Must not touch: sockets, HTTP.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { VersionStore } from '../storage/storage'
import type { RoomExtension, RoomHooks, RoomView, StoreEvent } from '../sync/roomHooks'
import { isLocal, type TransactionOrigin } from '../sync/transactionOrigin'

export interface VersionOptions {
  intervalMs: number
  keepAuto: number
}

/** The extension: one recorder per loaded room, and one timer for all of them while any is loaded. */
export class RoomVersions implements RoomExtension {
  private readonly recorders = new Set<VersionRecorder>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly versions: VersionStore,
    private readonly options: VersionOptions,
  ) {}

  onLoad(room: RoomView): RoomHooks {
    const recorder = new VersionRecorder(room, this.versions, this.options, room.log, () => {
      this.recorders.delete(recorder)
      if (this.recorders.size === 0) this.stopTimer()
    })
    this.recorders.add(recorder)
    this.timer ??= setInterval(
      () => {
        for (const each of this.recorders) void each.recordIfDue()
      },
      Math.min(this.options.intervalMs, 30_000),
    )
    this.timer.unref()
    return recorder
  }

  private stopTimer(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}

class VersionRecorder implements RoomHooks {
  private dirty = false
  private readonly actors = new Set<string>()
  private lastRecordedAt = Date.now()
  private recording: Promise<void> | undefined

  constructor(
    private readonly room: RoomView,
    private readonly versions: VersionStore,
    private readonly options: VersionOptions,
    private readonly log: Logger,
    /** Takes this recorder off the timer (the room is leaving memory). */
    private readonly stop: () => void,
  ) {}

  onChange(_update: Uint8Array, origin: TransactionOrigin): void {
    if (!isLocal(origin)) return
    this.dirty = true
    for (const name of this.room.activeNames()) this.actors.add(name)
  }

  onStore(event: StoreEvent): void {
    if (event.type === 'compacted') void this.recordIfDue(true)
  }

  /** The room is on its way out: the timer lets go of it at once, the last version waits for `onUnload`. */
  beforeUnload(): void {
    this.stop()
  }

  onUnload(): Promise<void> {
    return this.recordIfDue(true)
  }

  onDiscard(): void {
    this.stop()
  }

  /** Records an automatic version if there was activity and the interval has passed (or `force`). */
  recordIfDue(force = false): Promise<void> {
    if (!this.dirty || this.recording) return this.recording ?? Promise.resolve()
    if (!force && Date.now() - this.lastRecordedAt < this.options.intervalMs) return Promise.resolve()
    this.recording = this.record().finally(() => {
      this.recording = undefined
    })
    return this.recording
  }

  private async record(): Promise<void> {
    const actors = [...this.actors].sort()
    this.dirty = false
    this.actors.clear()
    this.lastRecordedAt = Date.now()
    try {
      const state = Y.encodeStateAsUpdate(this.room.doc)
      await this.versions.save({ roomId: this.room.roomId, name: null, kind: 'auto', state, actors })
      await this.versions.pruneAuto(this.room.roomId, this.options.keepAuto)
    } catch (error) {
      // Not fatal: the update log still holds everything; try again at the next chance.
      this.dirty = true
      for (const actor of actors) this.actors.add(actor)
      this.log.warn({ err: error }, 'automatic version failed')
    }
  }
}
