/**
 * The room lifecycle as typed hooks, after Hocuspocus's `Extension`: load → connect → change →
 * store → unload. Persistence (`persistence/roomPersistence.ts`) is the `DocumentSource`: it loads
 * the doc and is the room's store; automatic versions (`versions/versionRecorder.ts`) and Redis
 * replication (`scale/redisBus.ts`) are `RoomExtension`s. The registry calls `load`, then every
 * extension's `onLoad`; the room dispatches the rest (`roomLifecycle.ts`), always to persistence's
 * hooks first, then to the extensions' in the order they were registered. Types only.
 */
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { Logger } from '../logger'
import type { TransactionOrigin } from './transactionOrigin'

/** The room's store (persistence), as the room and its extensions see it. */
export interface RoomStore {
  /** Bytes received and not yet in the database: past a ceiling the room refuses edits. */
  readonly bufferedBytes: number
  /** Updates handed to the store so far (compare with a `written` event's `persistedCount`). */
  readonly enqueuedCount: number
  /** Stores an update that is in the doc already and that no other instance will store. */
  persist(update: Uint8Array): void
}

/** What the hooks may see of a loaded room. */
export interface RoomView {
  readonly roomId: string
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly store: RoomStore
  readonly log: Logger
  /** Names of the people (and agents) present now, from their awareness states. */
  activeNames(): string[]
}

/** store: what reached the database. */
export type StoreEvent =
  /** A batch was written: `persistedCount` updates are stored so far. */
  | { type: 'written'; persistedCount: number }
  /** The room's update rows were folded into its snapshot. */
  | { type: 'compacted' }

/** `idle`: nobody was in the room for `ROOM_IDLE_MS`; `shutdown`: the server is stopping. */
export type UnloadReason = 'idle' | 'shutdown'

/** What one extension does at each step of one loaded room's life. Every hook is optional. */
export interface RoomHooks {
  /** change: one doc update, whoever made it (its origin says who), after the room's own clients got it. */
  onChange?(update: Uint8Array, origin: TransactionOrigin): void
  /** change: one awareness update (presence), encoded once for clients and hooks alike. */
  onAwareness?(update: Uint8Array, origin: TransactionOrigin): void
  /** store: persistence reports a write or a compaction. */
  onStore?(event: StoreEvent): void
  /** unload, first phase: hand over what must still be stored (replication: a dead instance's updates). */
  beforeUnload?(reason: UnloadReason): void | Promise<void>
  /** unload, second phase: persistence flushes (and compacts when idle), versions record the last one. */
  onUnload?(reason: UnloadReason): void | Promise<void>
  /** The room was deleted: stop, and write nothing more for it. */
  onDiscard?(): void | Promise<void>
}

/** load: attaches to a room whose doc is loaded, before any client is answered; its hooks see the rest. */
export interface RoomExtension {
  onLoad(room: RoomView): RoomHooks | Promise<RoomHooks>
}

/** A room's doc as loaded, with the store that keeps it. */
export interface LoadedDocument {
  doc: Y.Doc
  /**
   * The doc's whole state already encoded, when it was loaded from one snapshot row alone: a fresh
   * client's sync step 1 is answered with these bytes until the first change drops them.
   */
  encodedState: Uint8Array | undefined
  /** The room's store, whose hooks (persistence's) come first in every dispatch. */
  store: RoomStore & RoomHooks
}

/**
 * load: where a room's doc comes from. `report` hears what the store writes (the `store` step).
 * `onStoredState` hears the doc's whole state as stored, when it is one snapshot row, as soon as it
 * is read — before the doc is built from it — so a fresh client can be answered while the room loads.
 */
export interface DocumentSource {
  load(
    roomId: string,
    log: Logger,
    report: (event: StoreEvent) => void,
    onStoredState?: (state: Uint8Array) => void,
  ): Promise<LoadedDocument>
}
