/**
 * One room's share of the cross-instance protocol: publishes what this instance's clients change,
 * applies what other instances publish (without persisting it: its origin instance does), repairs
 * gaps by comparing state vectors, and persists another instance's updates itself only when that
 * instance died before confirming them. Must not touch: Redis connections, sockets, SQL.
 */
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { REMOTE_ORIGIN, type Room } from '../sync/room'
import { type BusMessage, fingerprint } from './busProtocol'

/** Past this many unconfirmed bytes from other instances, persist them here rather than hold them. */
const MAX_UNCONFIRMED_REMOTE_BYTES = 16 * 1024 * 1024

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

interface RemoteUpdate {
  seq: number
  update: Uint8Array
}

function deleteSetFingerprint(doc: Y.Doc): number {
  return fingerprint(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))
}

/** True when `ours` has a clock ahead of `theirs` for any client. */
function isAhead(ours: Map<number, number>, theirs: Map<number, number>): boolean {
  for (const [client, clock] of ours) if (clock > (theirs.get(client) ?? 0)) return true
  return false
}

export class RoomReplica {
  private seq = 0
  /** Local updates published but not yet written by our writer: (seq, writer's enqueue count). */
  private readonly unconfirmedLocal: Array<{ seq: number; enqueued: number }> = []
  /** Other instances' updates not yet confirmed as persisted, by instance id. */
  private readonly unconfirmedRemote = new Map<string, RemoteUpdate[]>()
  private unconfirmedRemoteBytes = 0

  constructor(
    readonly room: Room,
    private readonly instanceId: string,
    private readonly publish: (message: BusMessage) => void,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.room.doc.on('update', this.handleDocUpdate)
    this.room.awareness.on('update', this.handleAwarenessUpdate)
    this.room.writer.onPersisted = this.handlePersisted
    this.requestSync()
  }

  stop(): void {
    this.room.doc.off('update', this.handleDocUpdate)
    this.room.awareness.off('update', this.handleAwarenessUpdate)
    this.room.writer.onPersisted = undefined
  }

  /** Asks the other instances for whatever this instance lacks. */
  requestSync(): void {
    this.publish({
      type: 'sync-request',
      from: this.instanceId,
      stateVector: Y.encodeStateVector(this.room.doc),
      deleteSetHash: deleteSetFingerprint(this.room.doc),
    })
  }

  receive(message: BusMessage): void {
    if (message.from === this.instanceId) return
    this.metrics.busMessagesIn.inc({ type: message.type })
    switch (message.type) {
      case 'update':
        Y.applyUpdate(this.room.doc, message.update, REMOTE_ORIGIN)
        this.holdUnconfirmed(message.from, { seq: message.seq, update: message.update })
        return
      case 'awareness':
        applyAwarenessUpdate(this.room.awareness, message.update, REMOTE_ORIGIN)
        return
      case 'sync-request':
        this.answerSyncRequest(message)
        return
      case 'sync-reply':
        if (message.to === this.instanceId) this.applyRepair(message.update)
        return
      case 'persisted':
        this.confirmRemote(message.from, message.seq)
        return
      default: {
        const unreachable: never = message
        this.log.warn({ message: unreachable }, 'unknown bus message')
      }
    }
  }

  /** Persists the unconfirmed updates of instances that are no longer alive. */
  async persistOrphans(isAlive: (instanceId: string) => Promise<boolean>): Promise<void> {
    for (const source of [...this.unconfirmedRemote.keys()]) {
      if (await isAlive(source)) continue
      this.log.warn({ source }, 'instance gone before persisting its updates; persisting them here')
      this.persistRemote(source)
    }
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) return
    const seq = ++this.seq
    this.publish({ type: 'update', from: this.instanceId, seq, update })
    // The room's own handler ran first and enqueued this update with the writer.
    this.unconfirmedLocal.push({ seq, enqueued: this.room.writer.enqueuedCount })
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: AwarenessChange,
    origin: unknown,
  ): void => {
    if (origin === REMOTE_ORIGIN) return
    const update = encodeAwarenessUpdate(this.room.awareness, [...added, ...updated, ...removed])
    this.publish({ type: 'awareness', from: this.instanceId, update })
  }

  private readonly handlePersisted = (persistedCount: number): void => {
    let confirmed: number | undefined
    while (this.unconfirmedLocal.length > 0 && this.unconfirmedLocal[0]!.enqueued <= persistedCount) {
      confirmed = this.unconfirmedLocal.shift()!.seq
    }
    if (confirmed !== undefined) this.publish({ type: 'persisted', from: this.instanceId, seq: confirmed })
  }

  private answerSyncRequest(message: Extract<BusMessage, { type: 'sync-request' }>): void {
    const theirs = Y.decodeStateVector(message.stateVector)
    const ours = Y.decodeStateVector(Y.encodeStateVector(this.room.doc))
    if (!isAhead(ours, theirs) && deleteSetFingerprint(this.room.doc) === message.deleteSetHash) return
    const update = Y.encodeStateAsUpdate(this.room.doc, message.stateVector)
    this.publish({ type: 'sync-reply', from: this.instanceId, to: message.from, update })
  }

  private applyRepair(update: Uint8Array): void {
    let changed = false
    const markChanged = () => {
      changed = true
    }
    this.room.doc.on('update', markChanged)
    Y.applyUpdate(this.room.doc, update, REMOTE_ORIGIN)
    this.room.doc.off('update', markChanged)
    if (changed) {
      this.metrics.busRepairs.inc()
      this.log.info('repaired a gap from another instance')
    }
  }

  private holdUnconfirmed(source: string, update: RemoteUpdate): void {
    const held = this.unconfirmedRemote.get(source) ?? []
    held.push(update)
    this.unconfirmedRemote.set(source, held)
    this.unconfirmedRemoteBytes += update.update.byteLength
    if (this.unconfirmedRemoteBytes > MAX_UNCONFIRMED_REMOTE_BYTES) {
      this.log.warn({ source }, 'too many unconfirmed updates from another instance; persisting them here')
      for (const id of [...this.unconfirmedRemote.keys()]) this.persistRemote(id)
    }
  }

  private confirmRemote(source: string, seq: number): void {
    const held = this.unconfirmedRemote.get(source)
    if (!held) return
    const remaining = held.filter((entry) => entry.seq > seq)
    for (const entry of held) if (entry.seq <= seq) this.unconfirmedRemoteBytes -= entry.update.byteLength
    if (remaining.length > 0) this.unconfirmedRemote.set(source, remaining)
    else this.unconfirmedRemote.delete(source)
  }

  private persistRemote(source: string): void {
    const held = this.unconfirmedRemote.get(source)
    if (!held) return
    this.unconfirmedRemote.delete(source)
    for (const entry of held) this.unconfirmedRemoteBytes -= entry.update.byteLength
    this.room.writer.enqueueEarlierUpdate(Y.mergeUpdates(held.map((entry) => entry.update)))
  }
}
