/**
 * Automatic versions of one loaded room: after activity, at most every `intervalMs`, on
 * compaction and when the room unloads, with the names of the people active since the previous
 * version. Must not touch: sockets, HTTP.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { VersionStore } from '../storage/storage'
import { REMOTE_ORIGIN, type Room } from '../sync/room'

export interface VersionOptions {
  intervalMs: number
  keepAuto: number
}

export class VersionRecorder {
  private dirty = false
  private readonly actors = new Set<string>()
  private lastRecordedAt = Date.now()
  private recording: Promise<void> | undefined

  constructor(
    private readonly room: Room,
    private readonly versions: VersionStore,
    private readonly options: VersionOptions,
    private readonly log: Logger,
  ) {
    room.doc.on('update', this.handleUpdate)
  }

  stop(): void {
    this.room.doc.off('update', this.handleUpdate)
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

  private readonly handleUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) return // its own instance records it
    this.dirty = true
    for (const name of this.room.activeNames()) this.actors.add(name)
  }
}
