/**
 * The `/yjs/<linkId>` endpoint: authenticate (resolve the link before any document byte is sent),
 * load (the room, before sync step 1 is answered), then hand frames to the room. Access changes
 * re-decide each open socket's rights; the total held for slow readers has a ceiling.
 * Must not touch: SQL details, the REST API.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { CloseCode } from '@drawbridge/shared'
import { type WebSocket, WebSocketServer } from 'ws'
import { identify } from '../auth/requestUser'
import type { TokenVerifier } from '../auth/tokens'
import { clientIp } from '../http/security'
import type { Limits } from '../limits/limits'
import type { Logger } from '../logger'
import { redactLinkId } from '../logger'
import type { Metrics } from '../metrics'
import type { AccessChange } from '../rooms/accessChanges'
import { closeCodeForRefusal, decideLinkAccess, type LinkAccess } from '../rooms/linkAccess'
import type { LinkLookup } from '../storage/storage'
import { ClientConnection } from './connection'
import { encodeSyncStep2FromUpdate, isFreshSyncStep1 } from './protocol'
import type { RoomRegistry } from './roomRegistry'

export const SYNC_PATH_PREFIX = '/yjs/'
/** How long a shutdown waits for clients to finish the close handshake. */
const CLOSE_GRACE_MS = 3_000
/** Frames a client may send while its room is still loading; more is not a well-behaved client. */
const MAX_EARLY_FRAMES = 1_000
/** How often connections through expiring links are checked (closed within this of expiry). */
const EXPIRY_CHECK_MS = 250

const REFUSAL_TEXT = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone' } as const

export interface SyncServerOptions {
  maxMessageBytes: number
  maxBufferedBytes: number
  /** Ceiling on the bytes queued for all clients together; the biggest backlogs are dropped first. */
  maxTotalBufferedBytes: number
  pingIntervalMs: number
  trustProxy: boolean
  limits: Limits
  verifier: TokenVerifier | undefined
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, headers = ''): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${headers}Content-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`,
  )
}

export class SyncServer {
  private readonly wss: WebSocketServer
  private readonly connections = new Set<ClientConnection>()
  private readonly pinger: NodeJS.Timeout
  private readonly expiryWatch: NodeJS.Timeout
  private accepting = true
  private backlogCheckScheduled = false

  constructor(
    private readonly rooms: LinkLookup,
    private readonly registry: RoomRegistry,
    private readonly options: SyncServerOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    // maxPayload makes ws close an oversized frame's connection with 1009 before buffering it.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes })
    this.pinger = setInterval(() => {
      for (const connection of this.connections) connection.checkAlive()
    }, options.pingIntervalMs)
    this.pinger.unref()
    this.expiryWatch = setInterval(() => this.closeExpired(), EXPIRY_CHECK_MS)
    this.expiryWatch.unref()
  }

  /**
   * Applies a change of access to live connections: revoked links and deleted rooms close at once;
   * any other change re-decides the rights of each socket it concerns, from its link and its user.
   */
  applyAccessChange(change: AccessChange): Promise<void> {
    const recheck: ClientConnection[] = []
    for (const connection of this.connections) {
      switch (change.type) {
        case 'link-revoked':
          if (connection.linkId === change.linkId) connection.close(CloseCode.LinkNotFound)
          break
        case 'room-deleted':
          if (connection.roomId === change.roomId) connection.close(CloseCode.RoomDeleted)
          break
        case 'member-removed':
          if (connection.roomId === change.roomId && isPerson(connection, change.userId, change.email)) {
            connection.close(CloseCode.Forbidden, 'removed from the board')
          }
          break
        case 'link-updated':
          if (connection.linkId === change.linkId) recheck.push(connection)
          break
        case 'room-privacy-changed':
          if (connection.roomId === change.roomId) recheck.push(connection)
          break
        case 'member-role-changed':
          if (connection.roomId === change.roomId && isPerson(connection, null, change.email)) {
            recheck.push(connection)
          }
          break
        default: {
          const unreachable: never = change
          this.log.warn({ change: unreachable }, 'unknown access change')
        }
      }
    }
    return this.recheck(recheck)
  }

  /**
   * Decides afresh what each connection may do (one look-up per link and person). Their frames wait
   * meanwhile, so nothing is applied with rights they no longer have; then each is demoted,
   * promoted or closed with the code of the refusal.
   */
  private async recheck(connections: ClientConnection[]): Promise<void> {
    if (connections.length === 0) return
    const decisions = new Map<string, Promise<LinkAccess>>()
    await Promise.all(
      connections.map(async (connection) => {
        connection.hold()
        const epoch = ++connection.accessEpoch
        try {
          const key = `${connection.linkId}\u0000${connection.user?.id ?? ''}`
          let decision = decisions.get(key)
          if (!decision) {
            decision = decideLinkAccess(this.rooms, connection.linkId, connection.user)
            decisions.set(key, decision)
          }
          const access = await decision
          if (epoch !== connection.accessEpoch) return
          if (!access.ok) return connection.close(closeCodeForRefusal(access.status), access.reason)
          if (access.role !== connection.role) connection.log.info({ role: access.role }, 'role changed')
          connection.role = access.role
          connection.expiresAt = access.grant.expiresAt
        } catch (error) {
          connection.log.error({ err: error }, 'access re-check failed')
          connection.close(CloseCode.TryAgainLater, 'access could not be checked')
        } finally {
          connection.release()
        }
      }),
    )
    this.closeExpired()
  }

  private closeExpired(): void {
    const now = Date.now()
    for (const connection of this.connections) {
      if (connection.expiresAt && connection.expiresAt.getTime() <= now)
        connection.close(CloseCode.LinkExpired)
    }
  }

  /** Handles an HTTP upgrade whose path starts with `/yjs/`. */
  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', (error) => this.log.debug({ err: error }, 'upgrade socket error'))
    if (!this.accepting) return refuseUpgrade(socket, 503, 'Service Unavailable')
    const allowed = await this.options.limits.wsConnects.take(clientIp(request, this.options.trustProxy))
    if (!allowed.ok) {
      const seconds = Math.ceil(allowed.retryAfterMs / 1000)
      return refuseUpgrade(socket, 429, 'Too Many Requests', `Retry-After: ${seconds}\r\n`)
    }
    let linkId: string
    try {
      linkId = decodeURIComponent(
        new URL(request.url ?? '/', 'http://x').pathname.slice(SYNC_PATH_PREFIX.length),
      )
    } catch {
      // A malformed %-escape: refused here, not thrown (it would end the process).
      return refuseUpgrade(socket, 400, 'Bad Request')
    }
    const identity = await identify(request, this.options.verifier)
    if (!identity.ok) return refuseUpgrade(socket, 401, 'Unauthorized')
    let access: LinkAccess
    try {
      access = await decideLinkAccess(this.rooms, linkId, identity.user)
    } catch (error) {
      this.log.error({ err: error }, 'link look-up failed')
      return refuseUpgrade(socket, 503, 'Service Unavailable')
    }
    if (!access.ok) return refuseUpgrade(socket, access.status, REFUSAL_TEXT[access.status])
    const { grant, role } = access
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const log = this.log.child({ roomId: grant.roomId, link: redactLinkId(linkId), role })
      const connection = new ClientConnection({
        socket: ws,
        transport: socket,
        linkId,
        roomId: grant.roomId,
        user: identity.user,
        role,
        expiresAt: grant.expiresAt,
        maxBufferedBytes: this.options.maxBufferedBytes,
        limits: this.options.limits,
        metrics: this.metrics,
        log,
        onBacklog: this.scheduleBacklogCheck,
      })
      void this.accept(ws, connection, grant.roomId)
    })
  }

  private async accept(ws: WebSocket, connection: ClientConnection, roomId: string): Promise<void> {
    this.connections.add(connection)
    this.metrics.connections.inc()
    // Frames that arrive while the room loads wait here, so step 1 is answered from the full doc.
    const early: Uint8Array[] = []
    connection.deliver = (frame) => {
      if (early.length < MAX_EARLY_FRAMES) early.push(frame)
      else connection.close(CloseCode.TryAgainLater, 'too many frames while loading')
    }
    let room: Awaited<ReturnType<RoomRegistry['open']>> | undefined
    ws.on('message', (data, isBinary) => {
      // A connection the server is closing gets nothing more applied, whatever it keeps sending.
      if (!connection.acceptsFrames) return
      if (!isBinary) return connection.close(CloseCode.UnsupportedData, 'text frame')
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      if (!connection.admit(buffer.byteLength)) return connection.close(CloseCode.RateLimited)
      connection.accept(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength))
    })
    ws.on('close', () => {
      this.connections.delete(connection)
      this.metrics.connections.dec()
      room?.leave(connection)
    })
    ws.on('error', (error) => connection.log.debug({ err: error }, 'socket error'))
    // A fresh client of a room stored as one snapshot is answered with its bytes as soon as they are
    // read, while the doc is built from them: its own apply overlaps the server's (cold sync).
    let answeredFrom: Uint8Array | undefined
    const opening = this.registry.open(roomId)
    void this.registry.storedStateWhileLoading(roomId)?.then((state) => {
      const step1 = early.findIndex(isFreshSyncStep1)
      if (!state || room || step1 < 0 || !connection.isOpen) return
      early.splice(step1, 1)
      answeredFrom = state
      connection.send(encodeSyncStep2FromUpdate(state))
    })
    try {
      room = await opening
    } catch (error) {
      connection.log.error({ err: error }, 'room failed to load')
      return connection.close(CloseCode.TryAgainLater, 'room failed to load')
    }
    if (!connection.isOpen) {
      this.registry.releaseIfIdle(room)
      return
    }
    const joined = room
    joined.join(connection, answeredFrom)
    connection.deliver = (frame) => joined.receive(connection, frame)
    for (const frame of early.splice(0)) connection.deliver(frame)
  }

  /** Runs the backlog check once per turn of the event loop however many sends queued bytes. */
  private readonly scheduleBacklogCheck = (): void => {
    if (this.backlogCheckScheduled) return
    this.backlogCheckScheduled = true
    setImmediate(() => {
      this.backlogCheckScheduled = false
      this.enforceBacklogCeiling()
    })
  }

  /** Over the server-wide ceiling, drops the clients holding the most unsent bytes until under it. */
  private enforceBacklogCeiling(): void {
    let total = 0
    const backlogs: Array<{ connection: ClientConnection; bytes: number }> = []
    for (const connection of this.connections) {
      const bytes = connection.bufferedBytes
      total += bytes
      if (bytes > 0) backlogs.push({ connection, bytes })
    }
    if (total <= this.options.maxTotalBufferedBytes) return
    backlogs.sort((a, b) => b.bytes - a.bytes)
    for (const { connection, bytes } of backlogs) {
      if (total <= this.options.maxTotalBufferedBytes) break
      connection.log.warn({ bytes, total }, 'slow readers hold too much: dropping the biggest backlog')
      // One already closing (a close frame stuck behind its backlog) goes now, not at ws's timeout.
      if (connection.isOpen) connection.dropSlow()
      else connection.terminate()
      total -= bytes
    }
  }

  /**
   * Refuses new connections, closes every open one with `code` (1012 on restart) and resolves once
   * each has finished closing — so every frame a client sent before its close frame has been
   * applied — or, after `graceMs`, terminates the stragglers.
   */
  async closeAll(code: CloseCode, graceMs = CLOSE_GRACE_MS): Promise<void> {
    this.accepting = false
    clearInterval(this.pinger)
    clearInterval(this.expiryWatch)
    for (const connection of this.connections) connection.close(code)
    const deadline = Date.now() + graceMs
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    for (const connection of this.connections) connection.terminate()
  }

  get connectionCount(): number {
    return this.connections.size
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.wss.close(() => resolve()))
  }
}

/** Whether a connection belongs to the person with this user id or email. */
function isPerson(connection: ClientConnection, userId: string | null, email: string): boolean {
  const user = connection.user
  if (!user) return false
  return (
    (userId !== null && user.id === userId) ||
    (user.email !== null && user.email.toLowerCase() === email.toLowerCase())
  )
}
