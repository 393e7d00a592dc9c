/**
 * One client's WebSocket in a room: its role, liveness (ping/pong), a bounded send buffer, the
 * awareness client id it owns, and whether the server still takes frames from it (a server close
 * refuses every later frame at once). Must not touch: the doc, storage.
 */

import type { Duplex } from 'node:stream'
import { CloseCode, describeCloseCode } from '@drawbridge/shared'
import type { WebSocket } from 'ws'
import type { AuthUser } from '../auth/tokens'
import { type BucketPolicy, TokenBucket } from '../limits/tokenBucket'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { Role } from '../storage/storage'
import { type ConnectionOrigin, connectionOrigin } from './transactionOrigin'
import { holdForThisTurn, type TurnWriter } from './turnCoalescing'

let nextConnectionId = 1
/**
 * How long a client closed for not reading (4001) has to take the close frame before its socket is
 * destroyed, with everything still queued for it.
 */
const SLOW_CONSUMER_GRACE_MS = 2_000
/** Frames a client may send while its rights are being re-checked; more is not a well-behaved client. */
const MAX_HELD_FRAMES = 1_000

export interface ConnectionOptions {
  socket: WebSocket
  /** The TCP socket under `socket`: corked while a turn's frames for it are written. */
  transport?: Duplex
  /** The link this client came through: role and expiry changes to it apply here at once. */
  linkId: string
  roomId: string
  /** The signed-in user, if any (member removal disconnects them). */
  user: AuthUser | null
  role: Role
  expiresAt: Date | null
  /** Unsent bytes past which this client is dropped as a slow reader. */
  maxBufferedBytes: number
  limits: { messages: BucketPolicy; bytes: BucketPolicy }
  metrics: Metrics
  log: Logger
  /** Told when this socket holds unsent bytes, so the server can check its total backlog. */
  onBacklog?: () => void
}

export class ClientConnection implements TurnWriter {
  readonly id = nextConnectionId++
  /** The origin of every change this connection makes (fan-out skips its sender by it). */
  readonly origin: ConnectionOrigin = connectionOrigin(this.id)
  readonly linkId: string
  readonly roomId: string
  readonly user: AuthUser | null
  role: Role
  expiresAt: Date | null
  readonly log: Logger
  /**
   * The awareness client id this connection owns: the first it announces. Presence for any other
   * id from this socket is dropped; its state is removed when the connection leaves.
   */
  awarenessClientId: number | null = null
  private alive = true
  private closed = false
  /** Set when the server decides to close: from then on nothing this socket sends is applied. */
  private refusing = false
  /** Frames waiting while this connection's rights are re-checked (null when none is under way). */
  private heldFrames: Uint8Array[] | null = null
  private holds = 0
  /** Counts re-checks, so only the newest one's answer applies. */
  accessEpoch = 0
  /** Where accepted frames go: the load queue, then the room. */
  deliver: (frame: Uint8Array) => void = () => {}
  private readonly messageBucket: TokenBucket
  private readonly byteBucket: TokenBucket
  private readonly socket: WebSocket
  private readonly transport: Duplex | undefined
  private readonly maxBufferedBytes: number
  private readonly metrics: Metrics
  private readonly onBacklog: () => void

  constructor(options: ConnectionOptions) {
    this.socket = options.socket
    this.transport = options.transport
    this.linkId = options.linkId
    this.roomId = options.roomId
    this.user = options.user
    this.role = options.role
    this.expiresAt = options.expiresAt
    this.maxBufferedBytes = options.maxBufferedBytes
    this.metrics = options.metrics
    this.log = options.log
    this.onBacklog = options.onBacklog ?? (() => {})
    this.messageBucket = new TokenBucket(options.limits.messages)
    this.byteBucket = new TokenBucket(options.limits.bytes)
    this.socket.on('pong', () => {
      this.alive = true
    })
  }

  get canWrite(): boolean {
    return this.role === 'editor'
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN
  }

  /**
   * Whether frames from this socket may still be applied: not once the server has decided to close
   * it — except for a restart (1012), which drains what the client sent before its close frame.
   */
  get acceptsFrames(): boolean {
    return !this.refusing && this.socket.readyState !== this.socket.CLOSED
  }

  /** Bytes queued for this client and not yet handed to the kernel (ws's queue plus the socket's). */
  get bufferedBytes(): number {
    // The transport is ws's own socket: its queue is ws's unless ws is buffering (never here: no
    // permessage-deflate, no Blobs), and reading it skips ws's getter on every delivery.
    return this.transport ? this.transport.writableLength : this.socket.bufferedAmount
  }

  /** Takes one incoming frame: dropped once the server is closing us, held during a re-check. */
  accept(frame: Uint8Array): void {
    if (!this.acceptsFrames) return
    if (!this.heldFrames) this.deliver(frame)
    else if (this.heldFrames.length < MAX_HELD_FRAMES) this.heldFrames.push(frame)
    else this.close(CloseCode.TryAgainLater, 'too many frames while access is re-checked')
  }

  /** Holds incoming frames until `release`: they are applied with the rights the re-check decides. */
  hold(): void {
    this.holds++
    this.heldFrames ??= []
  }

  release(): void {
    if (this.holds === 0 || --this.holds > 0) return
    const frames = this.heldFrames ?? []
    this.heldFrames = null
    for (const frame of frames) this.accept(frame)
  }

  /** Counts an incoming frame against this connection's limits; false when it is over them. */
  admit(frameBytes: number): boolean {
    return this.messageBucket.take(1).ok && this.byteBucket.take(frameBytes).ok
  }

  /** Sends a frame; a client whose unsent backlog would exceed the bound is dropped instead. */
  send(frame: Uint8Array): void {
    if (this.queue(frame)) this.metrics.bytesOut.inc(frame.byteLength)
  }

  /**
   * Sends `message` already framed for the wire (`wireFrame.ts`), as a broadcast does: the same
   * bytes `send` would write, written to the socket directly — at once, or with the rest of the turn
   * when `coalesce` (the room's broadcasts in this turn are not its first). Returns whether it was
   * queued; the broadcast counts what it sent (`updatesOut`, `bytesOut`) once for all its clients.
   */
  sendFramed(message: Uint8Array, wire: Buffer, coalesce: boolean): boolean {
    if (!this.transport) return this.queue(message)
    if (!this.mayQueue(message)) return false
    if (coalesce) holdForThisTurn(this)
    this.transport.write(wire)
    if (!coalesce && this.transport.writableLength > 0) this.onBacklog()
    return true
  }

  /** Queues `frame` through ws unless the client is gone or too far behind; true when queued. */
  private queue(frame: Uint8Array): boolean {
    if (!this.mayQueue(frame)) return false
    if (this.transport) holdForThisTurn(this)
    this.socket.send(frame, this.onSent)
    if (!this.transport && this.socket.bufferedAmount > 0) this.onBacklog()
    return true
  }

  /** False (and the client dropped, if it is too far behind) when `frame` may not be queued now. */
  private mayQueue(frame: Uint8Array): boolean {
    if (!this.isOpen) return false
    if (this.bufferedBytes + frame.byteLength > this.maxBufferedBytes) {
      this.dropSlow()
      return false
    }
    return true
  }

  private readonly onSent = (error?: Error): void => {
    if (error) this.log.debug({ err: error }, 'send failed')
  }

  cork(): void {
    this.transport?.cork()
  }

  endTurn(): void {
    this.transport?.uncork()
    if (this.bufferedBytes > 0) this.onBacklog()
  }

  /**
   * Closes a client that does not read (4001) and frees what is queued for it soon after. The
   * close frame waits behind the backlog the client is not reading, and ws would keep the socket
   * (and every byte queued for it) until its 30 s close timeout; so the socket is destroyed after
   * `SLOW_CONSUMER_GRACE_MS` unless the client has read up to the close frame by then.
   */
  dropSlow(): void {
    if (this.closed) return
    this.close(CloseCode.SlowConsumer)
    const timer = setTimeout(() => this.socket.terminate(), SLOW_CONSUMER_GRACE_MS)
    timer.unref()
    this.socket.once('close', () => clearTimeout(timer))
  }

  /** Called on every ping interval: a peer that did not answer the previous ping is dropped. */
  checkAlive(): void {
    if (!this.alive) {
      this.log.info('connection unresponsive; terminating')
      this.metrics.closedConnections.inc({ code: String(CloseCode.Unresponsive) })
      this.closed = true
      this.refusing = true
      this.socket.terminate()
      return
    }
    this.alive = false
    if (this.isOpen) this.socket.ping()
  }

  /** Drops the TCP connection without a close handshake. */
  terminate(): void {
    this.closed = true
    this.refusing = true
    this.socket.terminate()
  }

  close(code: CloseCode, detail?: string): void {
    if (this.closed) return
    this.closed = true
    this.refusing = code !== CloseCode.ServiceRestart
    this.metrics.closedConnections.inc({ code: String(code) })
    this.log.info({ code, detail }, 'closing connection')
    // Close reasons are limited to 123 bytes.
    this.socket.close(code, describeCloseCode(code).slice(0, 120))
  }
}
