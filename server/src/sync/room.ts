/**
 * A loaded room: its Y.Doc, awareness and connected clients. Applies what editors send, drops what
 * viewers send, fans changes out and hands every doc update to the writer.
 * Must not touch: SQL, HTTP, link resolution.
 */
import { CloseCode, DOC_ROOT_NAMES } from '@drawbridge/shared'
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { DocumentWriter } from '../persistence/documentWriter'
import type { ClientConnection } from './connection'
import {
  type ClientMessage,
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol'

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/** Origin of changes that came from another instance: broadcast here, persisted by their instance. */
export const REMOTE_ORIGIN = Object.freeze({ remote: true })

/**
 * Decodes an update before it touches the doc: malformed bytes throw here (the caller closes the
 * sender with 1002), and an update that would create a top-level type other than the document
 * layout's (`records`, `meta`, `chat`) is refused.
 */
function isAcceptableUpdate(update: Uint8Array): boolean {
  const { structs } = Y.decodeUpdate(update)
  return structs.every(
    (struct) =>
      !(struct instanceof Y.Item) || typeof struct.parent !== 'string' || DOC_ROOT_NAMES.has(struct.parent),
  )
}

export class Room {
  readonly awareness: Awareness
  readonly connections = new Set<ClientConnection>()
  /** Set once the registry has let go of this room; late joiners must open it again. */
  unloaded = false

  constructor(
    readonly roomId: string,
    readonly doc: Y.Doc,
    readonly writer: DocumentWriter,
    private readonly maxPendingWriteBytes: number,
    private readonly maxUpdateBytes: number,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly onEmpty: (room: Room) => void,
  ) {
    this.awareness = new Awareness(doc)
    this.awareness.setLocalState(null)
    doc.on('update', this.handleDocUpdate)
    this.awareness.on('update', this.handleAwarenessUpdate)
  }

  /** Adds a client: sends our state vector (so it sends what we lack) and everyone's presence. */
  join(connection: ClientConnection): void {
    this.connections.add(connection)
    connection.send(encodeSyncStep1(this.doc))
    if (this.awareness.getStates().size > 0) connection.send(encodeAwareness(this.awareness))
  }

  leave(connection: ClientConnection): void {
    if (!this.connections.delete(connection)) return
    if (connection.awarenessClientIds.size > 0) {
      removeAwarenessStates(this.awareness, [...connection.awarenessClientIds], null)
    }
    if (this.connections.size === 0) this.onEmpty(this)
  }

  /** Handles one frame from a client; a bad frame closes that client only. */
  receive(connection: ClientConnection, frame: Uint8Array): void {
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
        connection.send(encodeSyncStep2(this.doc, message.stateVector))
        return
      case 'sync-step-2':
      case 'update':
        if (!connection.canWrite) {
          this.metrics.droppedViewerWrites.inc()
          return
        }
        if (message.update.byteLength > this.maxUpdateBytes) {
          connection.close(CloseCode.UpdateTooLarge, `update over ${this.maxUpdateBytes} bytes`)
          return
        }
        if (this.writer.bufferedBytes > this.maxPendingWriteBytes) {
          // The database is behind: refuse rather than hold more. The client keeps its edits and
          // sends them again when it reconnects.
          connection.close(CloseCode.TryAgainLater, 'saving is paused: the database is unreachable')
          return
        }
        if (!isAcceptableUpdate(message.update)) {
          connection.close(CloseCode.UnsupportedData, 'update writes outside the document layout')
          return
        }
        this.metrics.updatesIn.inc()
        Y.applyUpdate(this.doc, message.update, connection)
        return
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, connection)
        return
      case 'query-awareness':
        connection.send(encodeAwareness(this.awareness))
        return
      default: {
        const unreachable: never = message
        throw new Error(`unhandled message ${JSON.stringify(unreachable)}`)
      }
    }
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== REMOTE_ORIGIN) this.writer.enqueue(update)
    const frame = encodeUpdate(update)
    for (const connection of this.connections) {
      if (connection === origin) continue
      connection.send(frame)
      this.metrics.updatesOut.inc()
    }
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: AwarenessChange,
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed]
    if (origin && this.connections.has(origin as ClientConnection)) {
      const sender = origin as ClientConnection
      for (const id of [...added, ...updated]) sender.awarenessClientIds.add(id)
      for (const id of removed) sender.awarenessClientIds.delete(id)
    }
    const frame = encodeAwareness(this.awareness, changed)
    for (const connection of this.connections) connection.send(frame)
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

  /** Releases the doc and awareness; the writer must have been settled first. */
  destroy(): void {
    this.unloaded = true
    this.doc.off('update', this.handleDocUpdate)
    this.awareness.off('update', this.handleAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.log.debug('room unloaded')
  }
}
