/**
 * A loaded room: its Y.Doc, awareness and connected clients. Applies what editors send once it
 * passes the document contract, drops what viewers send, takes nothing from a connection the server
 * is closing, keeps each connection's presence to its own client id, and fans changes out. It holds
 * the one doc 'update' listener and the one awareness listener: each change is encoded once, sent to
 * the clients, and handed with its typed origin to the lifecycle hooks (persistence, versions,
 * replication). Must not touch: SQL, HTTP, link resolution.
 */
import { CloseCode } from '@drawbridge/shared'
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import { decodeAwarenessEntries, encodeAwarenessEntries } from './awarenessEntries'
import type { ClientConnection } from './connection'
import { integrateDecoded } from './integrateDecoded'
import {
  type ClientMessage,
  decodeClientMessage,
  encodeAwareness,
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncStep2FromUpdate,
  encodeUpdate,
  isEmptyStateVector,
} from './protocol'
import type { RoomStore, RoomView } from './roomHooks'
import type { RoomLifecycle } from './roomLifecycle'
import { Origins, originOf } from './transactionOrigin'
import { RepeatsThisTurn } from './turnCoalescing'
import { UpdatesAsReceived } from './updateAsReceived'
import { checkDecoded, decodeUpdate } from './updateContract'
import { frameForWire } from './wireFrame'

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

export interface RoomOptions {
  roomId: string
  doc: Y.Doc
  /** The room's store (persistence): its backlog decides whether edits are taken. */
  store: RoomStore
  /** The hooks every change is handed to. */
  lifecycle: RoomLifecycle
  maxPendingWriteBytes: number
  /** Largest single update (or sync step 2) a client may send; above it the sender is closed. */
  maxUpdateBytes: number
  metrics: Metrics
  log: Logger
  /** Called when the last client leaves. */
  onEmpty: (room: Room) => void
  /**
   * The doc's whole state already encoded (loaded from one snapshot row alone). A fresh client's
   * sync step 1 is answered with these bytes (no encode of the doc) until the first change drops them.
   */
  encodedState: Uint8Array | undefined
}

export class Room implements RoomView {
  readonly roomId: string
  readonly doc: Y.Doc
  readonly store: RoomStore
  readonly log: Logger
  readonly awareness: Awareness
  readonly connections = new Set<ClientConnection>()
  /** Set once the registry has let go of this room; late joiners must open it again. */
  unloaded = false
  private loadedState: Uint8Array | undefined
  private readonly updatesAsReceived: UpdatesAsReceived
  /** Whether a broadcast is this room's second (or later) of the turn: then its sockets are corked. */
  private readonly broadcasts = new RepeatsThisTurn()

  constructor(private readonly options: RoomOptions) {
    this.roomId = options.roomId
    this.doc = options.doc
    this.store = options.store
    this.log = options.log
    this.loadedState = options.encodedState
    this.awareness = new Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.doc.on('update', this.handleDocUpdate)
    this.updatesAsReceived = new UpdatesAsReceived(this.doc)
    this.awareness.on('update', this.handleAwarenessUpdate)
  }

  /**
   * Adds a client: sends our state vector (so it sends what we lack) and everyone's presence. A client
   * answered while the room loaded (`answeredFrom`: the stored state it was sent) also gets whatever
   * the doc gained since then — a change another instance relayed during the load.
   */
  join(connection: ClientConnection, answeredFrom?: Uint8Array): void {
    this.connections.add(connection)
    connection.send(encodeSyncStep1(this.doc))
    if (answeredFrom && this.loadedState !== answeredFrom)
      connection.send(encodeSyncStep2(this.doc, Y.encodeStateVectorFromUpdate(answeredFrom)))
    if (this.awareness.getStates().size > 0) connection.send(encodeAwareness(this.awareness))
  }

  leave(connection: ClientConnection): void {
    if (!this.connections.delete(connection)) return
    const own = connection.awarenessClientId
    if (own !== null && this.awareness.getStates().has(own))
      removeAwarenessStates(this.awareness, [own], Origins.server)
    if (this.connections.size === 0) this.options.onEmpty(this)
  }

  private get metrics(): Metrics {
    return this.options.metrics
  }

  /** Handles one frame from a client; a bad frame closes that client only. */
  receive(connection: ClientConnection, frame: Uint8Array): void {
    // Once the server has decided to close a connection, nothing more from it is applied.
    if (!connection.acceptsFrames) return
    if (this.unloaded) {
      connection.close(CloseCode.ServiceRestart, 'room unloaded')
      return
    }
    this.metrics.bytesIn.inc(frame.byteLength)
    const decoded = decodeClientMessage(frame)
    if (!decoded.ok) {
      const code = decoded.reason === 'malformed' ? CloseCode.ProtocolError : CloseCode.UnsupportedData
      connection.close(code, decoded.detail)
      return
    }
    try {
      this.apply(connection, decoded.message)
    } catch (error) {
      connection.close(CloseCode.ProtocolError, error instanceof Error ? error.message : String(error))
    }
  }

  private apply(connection: ClientConnection, message: ClientMessage): void {
    switch (message.type) {
      case 'sync-step-1':
        connection.send(
          this.loadedState && isEmptyStateVector(message.stateVector)
            ? encodeSyncStep2FromUpdate(this.loadedState)
            : encodeSyncStep2(this.doc, message.stateVector),
        )
        return
      case 'sync-step-2':
      case 'update':
        if (!connection.canWrite) {
          this.metrics.droppedViewerWrites.inc()
          return
        }
        if (message.update.byteLength > this.options.maxUpdateBytes) {
          connection.close(CloseCode.UpdateTooLarge, `update over ${this.options.maxUpdateBytes} bytes`)
          return
        }
        if (this.store.bufferedBytes > this.options.maxPendingWriteBytes) {
          // The database is behind: refuse rather than hold more. The client keeps its edits and
          // sends them again when it reconnects.
          connection.close(CloseCode.TryAgainLater, 'saving is paused: the database is unreachable')
          return
        }
        this.applyChecked(connection, message.update)
        return
      case 'awareness': {
        const own = this.ownAwareness(connection, message.update)
        if (own) applyAwarenessUpdate(this.awareness, own, connection.origin)
        return
      }
      case 'query-awareness':
        connection.send(encodeAwareness(this.awareness))
        return
      default: {
        const unreachable: never = message
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`)
      }
    }
  }

  /**
   * Applies an update that passes the document contract; one that does not closes its sender. The
   * update is decoded once: the check's decode is what gets integrated (`Y.applyUpdate` decodes the
   * bytes again only for what `integrateDecoded` leaves to it: gaps, repeats, a whole state), and
   * what is integrated that way goes on to peers and storage as it came (`updateAsReceived.ts`).
   */
  private applyChecked(connection: ClientConnection, update: Uint8Array): void {
    const decoded = decodeUpdate(update)
    if (!decoded.ok) {
      connection.close(CloseCode.ProtocolError, decoded.error)
      return
    }
    const check = checkDecoded(this.doc, decoded.decoded)
    if (!check.ok) {
      this.metrics.refusedUpdates.inc()
      connection.close(CloseCode.UnsupportedData, check.error)
      return
    }
    this.metrics.updatesIn.inc()
    const integrated = this.updatesAsReceived.integrate(update, () =>
      integrateDecoded(this.doc, decoded.decoded, connection.origin),
    )
    if (!integrated) Y.applyUpdate(this.doc, update, connection.origin)
  }

  /**
   * The part of an awareness update this connection may publish: the entries of its own client id
   * (the first it announces, unless a live connection or another instance already holds that id).
   * Entries for any other id are dropped; undefined when nothing is left.
   */
  private ownAwareness(connection: ClientConnection, update: Uint8Array): Uint8Array | undefined {
    const entries = decodeAwarenessEntries(update)
    const first = entries[0]
    if (connection.awarenessClientId === null && first && this.mayClaim(connection, first.clientId)) {
      connection.awarenessClientId = first.clientId
    }
    const own = entries.filter((entry) => entry.clientId === connection.awarenessClientId)
    if (own.length < entries.length) {
      this.metrics.droppedPresence.inc(entries.length - own.length)
      connection.log.debug({ dropped: entries.length - own.length }, 'presence for another client dropped')
    }
    if (own.length === 0) return undefined
    return own.length === entries.length ? update : encodeAwarenessEntries(own)
  }

  private mayClaim(connection: ClientConnection, clientId: number): boolean {
    for (const other of this.connections) {
      if (other === connection || other.awarenessClientId !== clientId) continue
      if (other.isOpen) return false
      // A closing connection's id passes to the same client reconnecting; its leave keeps the state.
      other.awarenessClientId = null
      return true
    }
    // Present without a connection here: a client of another instance.
    return !this.awareness.getStates().has(clientId)
  }

  /** The one doc listener: every change goes to the other clients, then to the hooks, with its origin. */
  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.loadedState = undefined
    const message = encodeUpdate(update)
    const wire = frameForWire(message)
    const coalesce = this.broadcasts.again()
    let sent = 0
    for (const connection of this.connections) {
      if (connection.origin !== origin && connection.sendFramed(message, wire, coalesce)) sent++
    }
    this.metrics.updatesOut.inc(sent)
    this.metrics.bytesOut.inc(message.byteLength * sent)
    this.options.lifecycle.change(update, originOf(origin))
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: AwarenessChange,
    origin: unknown,
  ): void => {
    const update = encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed])
    const message = encodeAwarenessFrame(update)
    const wire = frameForWire(message)
    const coalesce = this.broadcasts.again()
    let sent = 0
    for (const connection of this.connections) if (connection.sendFramed(message, wire, coalesce)) sent++
    this.metrics.bytesOut.inc(message.byteLength * sent)
    this.options.lifecycle.awareness(update, originOf(origin))
  }

  /** Names of the people (and agents) present now, from their awareness states. */
  activeNames(): string[] {
    const names = new Set<string>()
    for (const state of this.awareness.getStates().values()) {
      const name = (state as { user?: { name?: unknown } }).user?.name
      if (typeof name === 'string' && name.trim() !== '') names.add(name.trim().slice(0, 64))
    }
    return [...names].sort()
  }

  /** Releases the doc and awareness; the hooks must have unloaded (or discarded) the room first. */
  destroy(): void {
    this.unloaded = true
    this.loadedState = undefined
    this.doc.off('update', this.handleDocUpdate)
    this.updatesAsReceived.detach()
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.log.debug('room unloaded')
  }
}
