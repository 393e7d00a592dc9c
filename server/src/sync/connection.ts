/**
 * One client's WebSocket in a room: its role, liveness (ping/pong), a bounded send buffer, and the
 * awareness client ids it controls. Must not touch: the doc, storage.
 */
import { CloseCode, describeCloseCode } from '@drawbridge/shared'
import type { WebSocket } from 'ws'
import type { AuthUser } from '../auth/tokens'
import { type BucketPolicy, TokenBucket } from '../limits/tokenBucket'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { Role } from '../storage/storage'

let nextConnectionId = 1

export class ClientConnection {
  readonly id = nextConnectionId++
  /** Awareness client ids this connection has announced; removed when it leaves. */
  readonly awarenessClientIds = new Set<number>()
  private alive = true
  private closed = false
  private readonly messageBucket: TokenBucket
  private readonly byteBucket: TokenBucket

  constructor(
    private readonly socket: WebSocket,
    /** The link this client came through: role and expiry changes to it apply here at once. */
    readonly linkId: string,
    readonly roomId: string,
    /** The signed-in user, if any (member removal disconnects them). */
    readonly user: AuthUser | null,
    public role: Role,
    public expiresAt: Date | null,
    private readonly maxBufferedBytes: number,
    limits: { messages: BucketPolicy; bytes: BucketPolicy },
    private readonly metrics: Metrics,
    readonly log: Logger,
  ) {
    this.messageBucket = new TokenBucket(limits.messages)
    this.byteBucket = new TokenBucket(limits.bytes)
    socket.on('pong', () => {
      this.alive = true
    })
  }

  get canWrite(): boolean {
    return this.role === 'editor'
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN
  }

  /** Counts an incoming frame against this connection's limits; false when it is over them. */
  admit(frameBytes: number): boolean {
    return this.messageBucket.take(1).ok && this.byteBucket.take(frameBytes).ok
  }

  /** Sends a frame; a client whose unsent backlog exceeds the bound is closed instead. */
  send(frame: Uint8Array): void {
    if (!this.isOpen) return
    if (this.socket.bufferedAmount + frame.byteLength > this.maxBufferedBytes) {
      this.close(CloseCode.SlowConsumer)
      return
    }
    this.metrics.bytesOut.inc(frame.byteLength)
    this.socket.send(frame, (error) => {
      if (error) this.log.debug({ err: error }, 'send failed')
    })
  }

  /** Called on every ping interval: a peer that did not answer the previous ping is dropped. */
  checkAlive(): void {
    if (!this.alive) {
      this.log.info('connection unresponsive; terminating')
      this.metrics.closedConnections.inc({ code: String(CloseCode.Unresponsive) })
      this.closed = true
      this.socket.terminate()
      return
    }
    this.alive = false
    if (this.isOpen) this.socket.ping()
  }

  /** Drops the TCP connection without a close handshake. */
  terminate(): void {
    this.closed = true
    this.socket.terminate()
  }

  close(code: CloseCode, detail?: string): void {
    if (this.closed) return
    this.closed = true
    this.metrics.closedConnections.inc({ code: String(code) })
    this.log.info({ code, detail }, 'closing connection')
    // Close reasons are limited to 123 bytes.
    this.socket.close(code, describeCloseCode(code).slice(0, 120))
  }
}
