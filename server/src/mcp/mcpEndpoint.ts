/**
 * `/mcp`: the Model Context Protocol's Streamable HTTP transport on the server's own port. Every
 * request is authorized by its board link (mcpAuth.ts) and rate limited per link and per IP; an
 * `initialize` without a session opens an McpSession (a peer joins the room), later requests go to
 * their session by `Mcp-Session-Id` — only with the link that opened it. Sessions end when their
 * client closes them, after `MCP_SESSION_IDLE_MS` without a request, when their link is revoked
 * (or the room deleted, or the member removed), and at shutdown.
 * Owns: the session table and those rules. Must not touch: the tools' work, other routes.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import type { AiService } from '../ai/aiService'
import type { TokenVerifier } from '../auth/tokens'
import type { McpConfig } from '../config'
import { HttpError, readBytes } from '../http/json'
import type { Logger } from '../logger'
import type { AccessChange } from '../rooms/accessChanges'
import type { AgentLinks, LinkLookup } from '../storage/storage'
import { authorizeMcp, type McpGrant, recheckMcpGrant } from './mcpAuth'
import { McpLimits } from './mcpLimits'
import type { McpSession } from './mcpSession'

export const MCP_PATH = '/mcp'
/** Largest JSON-RPC body accepted (a big Mermaid file or spec fits many times over). */
const MCP_MAX_BODY_BYTES = 1024 * 1024
/** How often idle sessions and expired links are looked for, at least. */
const IDLE_SWEEP_MAX_MS = 1_000

/**
 * The sessions' module, and with it the MCP SDK, is loaded by the first initialize request rather
 * than at start: 4 MB of heap that a server whose boards nobody opens over MCP never needs.
 */
const loadSessions = () => import('./mcpSession')

const InitializeParams = z.object({ params: z.object({ clientInfo: z.object({ name: z.string() }) }) })

export interface McpEndpointDeps {
  config: McpConfig
  /** Links and memberships (who may use the endpoint), and the sessions' own agent links. */
  rooms: LinkLookup & AgentLinks
  verifier: TokenVerifier | undefined
  ai: AiService
  serverUrl: () => string
  clientIp: (request: IncomingMessage) => string
  redis: Redis | undefined
  redisPrefix: string
  log: Logger
}

/** A JSON-RPC error answer outside any session (the SDK answers inside one). */
function rpcError(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null })
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  })
  response.end(body)
}

export class McpEndpoint {
  private readonly sessions = new Map<string, McpSession>()
  private readonly limits: McpLimits
  private readonly sweeper: NodeJS.Timeout
  private accepting = true

  constructor(private readonly deps: McpEndpointDeps) {
    this.limits = new McpLimits(deps.config, deps.redis, deps.redisPrefix)
    this.sweeper = setInterval(
      () => this.closeEnded(),
      Math.min(IDLE_SWEEP_MAX_MS, Math.max(50, deps.config.sessionIdleMs / 2)),
    )
    this.sweeper.unref()
  }

  /** Open sessions on this instance. */
  get size(): number {
    return this.sessions.size
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!this.accepting) return rpcError(response, 503, 'The server is shutting down.')
    const auth = await authorizeMcp(request, this.deps.rooms, this.deps.verifier)
    if (!auth.ok) {
      const headers: Record<string, string> =
        auth.status === 401 ? { 'www-authenticate': 'Bearer realm="drawbridge", error="invalid_token"' } : {}
      return rpcError(response, auth.status, auth.reason, headers)
    }
    const { grant } = auth
    const ip = this.deps.clientIp(request)
    const admitted = await this.limits.admitRequest(grant.linkId, ip)
    if (!admitted.ok) {
      return rpcError(
        response,
        429,
        `Too many requests: this board link allows ${admitted.limit}. Try again in ${admitted.retryAfterSeconds} s.`,
        { 'retry-after': String(admitted.retryAfterSeconds) },
      )
    }
    let body: unknown
    if (request.method === 'POST') {
      try {
        body = JSON.parse(Buffer.from(await readBytes(request, MCP_MAX_BODY_BYTES)).toString('utf8'))
      } catch (error) {
        if (error instanceof HttpError) return rpcError(response, error.status, error.message)
        const parseError = JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32700, message: 'Parse error: the body is not JSON.' },
          id: null,
        })
        response.writeHead(400, { 'content-type': 'application/json' }).end(parseError)
        return
      }
    }
    const sessionId = request.headers['mcp-session-id']
    if (typeof sessionId === 'string') {
      const session = this.sessions.get(sessionId)
      // Another link's session is as unknown as a made-up one.
      if (!session || session.closed || session.grant.linkId !== grant.linkId)
        return rpcError(response, 404, 'No such MCP session: initialize a new one.')
      session.lastActivity = Date.now()
      session.clientIp = ip
      session.applyRole(grant.role)
      if (request.method === 'POST') session.track(response)
      await session.transport.handleRequest(request, response, body)
      return
    }
    const { isInitializeRequest } = await loadSessions()
    if (request.method !== 'POST' || !isInitializeRequest(body))
      return rpcError(response, 400, 'Start with an initialize request (no Mcp-Session-Id yet).')
    await this.open(grant, ip, body, request, response)
  }

  private async open(
    grant: McpGrant,
    ip: string,
    body: unknown,
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    if (this.sessions.size >= this.deps.config.maxSessions)
      return rpcError(response, 503, 'Too many MCP sessions on this server; try again later.', {
        'retry-after': '60',
      })
    const parsed = InitializeParams.safeParse(body)
    const id = randomUUID()
    let session: McpSession
    try {
      const { McpSession } = await loadSessions()
      session = await McpSession.open(
        id,
        grant,
        parsed.success ? parsed.data.params.clientInfo.name : undefined,
        {
          links: this.deps.rooms,
          jobs: this.deps.ai.jobs,
          undo: (job) => this.deps.ai.undo(job),
          layout: (spec) => this.deps.ai.layout(spec),
          serverUrl: this.deps.serverUrl(),
          maxShapesPerCall: this.deps.config.maxShapesPerCall,
          admitCall: async (current) => {
            const call = await this.limits.admitCall(current.grant.linkId, current.clientIp)
            return call.ok
              ? undefined
              : `Limit reached: ${call.limit}. Try again in ${call.retryAfterSeconds} s.`
          },
          onClosed: (closed) => this.sessions.delete(closed.id),
          log: this.deps.log,
        },
      )
    } catch (error) {
      this.deps.log.warn({ err: error, roomId: grant.roomId }, 'MCP session could not join its room')
      return rpcError(response, 503, 'Could not join the board right now; try again.')
    }
    session.clientIp = ip
    session.track(response)
    this.sessions.set(id, session)
    this.deps.log.info(
      { sessionId: id, roomId: grant.roomId, role: grant.role, client: session.peer.name },
      'MCP session opened',
    )
    await session.transport.handleRequest(request, response, body)
  }

  /**
   * An access change (here or from another instance) ends or narrows the sessions it concerns:
   * revocation and deletion end them at once; anything else has each session's rights decided
   * afresh from the link and the person behind it, as the socket's are.
   */
  applyAccessChange(change: AccessChange): void {
    for (const session of [...this.sessions.values()]) {
      const { grant } = session
      switch (change.type) {
        case 'link-revoked':
          if (grant.linkId === change.linkId) void session.close('link revoked')
          break
        case 'room-deleted':
          if (grant.roomId === change.roomId) void session.close('board deleted')
          break
        case 'link-updated':
          if (grant.linkId === change.linkId) void this.recheck(session)
          break
        case 'room-privacy-changed':
        case 'member-removed':
        case 'member-role-changed':
          if (grant.roomId === change.roomId) void this.recheck(session)
          break
        default:
          change satisfies never
      }
    }
    this.closeEnded()
  }

  private async recheck(session: McpSession): Promise<void> {
    try {
      const role = await recheckMcpGrant(this.deps.rooms, session.grant)
      if (role) session.applyRole(role)
      else await session.close('access withdrawn')
    } catch (error) {
      this.deps.log.warn(
        { err: error, sessionId: session.id },
        'MCP session access re-check failed; ending it',
      )
      await session.close('access could not be checked')
    }
  }

  /** Ends sessions that went quiet and sessions whose link has expired. */
  private closeEnded(): void {
    const now = Date.now()
    const cutoff = now - this.deps.config.sessionIdleMs
    for (const session of [...this.sessions.values()]) {
      if (session.lastActivity < cutoff && !session.busy) void session.close('idle')
      else if (session.grant.expiresAt && session.grant.expiresAt.getTime() <= now)
        void session.close('link expired')
    }
  }

  /** Shutdown: refuse new requests and end every session (their peers leave before the rooms flush). */
  async close(): Promise<void> {
    this.accepting = false
    clearInterval(this.sweeper)
    await Promise.all([...this.sessions.values()].map((session) => session.close('server stopping')))
  }
}
