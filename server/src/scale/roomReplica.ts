/**
 * One room's share of the cross-instance protocol, as that room's replication hooks
 * (`sync/roomHooks.ts`): publishes what this instance's clients change (every change and presence
 * update whose origin is not a replica), applies what other instances publish with the replica
 * origin (so this instance neither persists, versions nor republishes it), publishes a `persisted`
 * watermark when the store reports a write, repairs gaps by comparing state vectors, and persists
 * another instance's updates itself only when that instance died before confirming them.
 * Must not touch: Redis connections, sockets, SQL.
 */
import { applyAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { RoomHooks, RoomView, StoreEvent } from '../sync/roomHooks'
import { isLocal, Origins, type TransactionOrigin } from '../sync/transactionOrigin'
import { type BusMessage, fingerprint } from './busProtocol'

/** Past this many unconfirmed bytes from other instances, persist them here rather than hold them. */
const MAX_UNCONFIRMED_REMOTE_BYTES = 16 * 1024 * 1024

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

export class RoomReplica implements RoomHooks {
  private seq = 0
  /** Local updates published but not yet written by the store: (seq, the store's enqueue count). */
  private readonly unconfirmedLocal: Array<{ seq: number; enqueued: number }> = []
  /** Other instances' updates not yet confirmed as persisted, by instance id. */
  private readonly unconfirmedRemote = new Map<string, RemoteUpdate[]>()
  private unconfirmedRemoteBytes = 0

  constructor(
    readonly room: RoomView,
    private readonly instanceId: string,
    private readonly publish: (message: BusMessage) => void,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  /** Set when the room leaves this instance: nothing more is published for it. */
  private stopped = false

  stop(): void {
    this.stopped = true
  }

  onChange(update: Uint8Array, origin: TransactionOrigin): void {
    if (this.stopped || !isLocal(origin)) return
    const seq = ++this.seq
    this.publish({ type: 'update', from: this.instanceId, seq, update })
    // Persistence's hook ran first and queued this update with the store.
    this.unconfirmedLocal.push({ seq, enqueued: this.room.store.enqueuedCount })
  }

  onAwareness(update: Uint8Array, origin: TransactionOrigin): void {
    if (this.stopped || !isLocal(origin)) return
    this.publish({ type: 'awareness', from: this.instanceId, update })
  }

  /** Publishes the newest of this instance's updates the store has written, for others to let go of. */
  onStore(event: StoreEvent): void {
    if (this.stopped || event.type !== 'written') return
    let confirmed: number | undefined
    while (this.unconfirmedLocal.length > 0 && this.unconfirmedLocal[0]!.enqueued <= event.persistedCount) {
      confirmed = this.unconfirmedLocal.shift()!.seq
    }
    if (confirmed !== undefined) this.publish({ type: 'persisted', from: this.instanceId, seq: confirmed })
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
        Y.applyUpdate(this.room.doc, message.update, Origins.replica)
        this.holdUnconfirmed(message.from, { seq: message.seq, update: message.update })
        return
      case 'awareness':
        applyAwarenessUpdate(this.room.awareness, message.update, Origins.replica)
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
    Y.applyUpdate(this.room.doc, update, Origins.replica)
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
    this.room.store.persist(Y.mergeUpdates(held.map((entry) => entry.update)))
  }
}
