/**
 * One MCP session: an McpServer with the board's tools over a stateful Streamable HTTP transport,
 * and a peer in the room named after the client ("Claude Code (AI)", `kind: 'ai'`) that joins
 * through its own agent link — a viewer link for a view-only session — and leaves when the session
 * ends (client DELETE, idle, revoked link, shutdown). Owns: the session's parts and their end.
 * Must not touch: HTTP routing, authorization (mcpAuth.ts), the tools' work (boardActions.ts).
 */
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { AgentPeer } from '../ai/agent/agentPeer'
import type { Logger } from '../logger'
import type { AgentLinks, Role } from '../storage/storage'
import { BoardActions, type DrawingServices } from './boardActions'
import { registerBoardTools } from './boardTools'
import type { McpGrant } from './mcpAuth'

/** The SDK's own check of an initialize request, for the endpoint (which loads this module lazily). */
export { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js'

/** The session's agent link outlives any session (idle sessions end long before). */
const SESSION_LINK_TTL_MS = 24 * 60 * 60_000
/** When a session ends, calls still running get this long to answer (they stop drawing at once). */
const CLOSE_GRACE_MS = 2_000
/** The colour of MCP peers' cursors (the co-pilot's is violet). */
const MCP_PEER_COLOR = '#0e7490'
/** Awareness names are at most 64 characters; " (AI)" takes five. */
const CLIENT_NAME_MAX = 59
export const SERVER_INFO = { name: 'drawbridge', version: '0.1.0' }

/** "Claude Code" → "Claude Code (AI)": printable, trimmed, bounded. */
export function peerNameOf(clientName: string | undefined): string {
  const clean = (clientName ?? '')
    .replace(/[\p{C}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, CLIENT_NAME_MAX)
    .trim()
  return `${clean || 'MCP client'} (AI)`
}

export interface SessionDeps extends DrawingServices {
  /** The session's peer joins the room through a link of its own. */
  links: AgentLinks
  /** This server's own URL: the peer connects to it like any browser. */
  serverUrl: string
  admitCall: (session: McpSession) => Promise<string | undefined>
  onClosed: (session: McpSession) => void
  log: Logger
}

export class McpSession {
  readonly transport: StreamableHTTPServerTransport
  private readonly server: McpServer
  private readonly writeTools: RegisteredTool[]
  private closing: Promise<void> | undefined
  /** POST requests being answered (a tool call may take seconds while it draws). */
  private inFlight = 0
  private drained: (() => void) | undefined
  lastActivity = Date.now()
  /** The client address of the latest request (limits count per IP). */
  clientIp = ''

  private constructor(
    readonly id: string,
    readonly grant: McpGrant,
    private role: Role,
    readonly peer: AgentPeer,
    private readonly agentLinkId: string,
    private readonly deps: SessionDeps,
  ) {
    this.server = new McpServer(SERVER_INFO, {
      instructions:
        'A Drawbridge whiteboard shared with people in real time. read_board first; draw_diagram lays diagrams out for you; edit_board changes shapes by the short ids read_board gives; undo_last takes back your last change.',
    })
    const actions = new BoardActions({
      peer,
      jobs: deps.jobs,
      undo: deps.undo,
      layout: deps.layout,
      maxShapesPerCall: deps.maxShapesPerCall,
      roomId: grant.roomId,
      userId: grant.user?.id ?? null,
      requester: `mcp:${createHash('sha256').update(grant.linkId).digest('hex').slice(0, 32)}`,
      author: { id: `mcp:${id}`, name: peer.name },
      isOpen: () => !this.closing,
    })
    this.writeTools = registerBoardTools(this.server, {
      actions,
      canEdit: () => this.role === 'editor',
      admitCall: () => deps.admitCall(this),
      log: deps.log,
    })
    this.applyRole(role)
    this.transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id })
    this.transport.onclose = () => void this.close('closed by the client')
  }

  /** Joins the room as the client's peer and connects the protocol; the caller then hands it the initialize request. */
  static async open(
    id: string,
    grant: McpGrant,
    clientName: string | undefined,
    deps: SessionDeps,
  ): Promise<McpSession> {
    const agentLinkId = await deps.links.createAgentLink(
      grant.roomId,
      new Date(Date.now() + SESSION_LINK_TTL_MS),
      grant.role,
    )
    let peer: AgentPeer
    try {
      peer = await AgentPeer.join({
        serverUrl: deps.serverUrl,
        linkId: agentLinkId,
        peerId: `mcp:${id}`,
        name: peerNameOf(clientName),
        color: MCP_PEER_COLOR,
      })
    } catch (error) {
      await deps.links.revokeAgentLink(agentLinkId).catch(() => undefined)
      throw error
    }
    const session = new McpSession(id, grant, grant.role, peer, agentLinkId, deps)
    await session.server.connect(session.transport)
    return session
  }

  get closed(): boolean {
    return this.closing !== undefined
  }

  /** Whether a request is being answered: a busy session is never idle. */
  get busy(): boolean {
    return this.inFlight > 0
  }

  /** Counts a request until its response is finished or cut. */
  track(response: ServerResponse): void {
    this.inFlight++
    response.once('close', () => {
      this.inFlight--
      this.lastActivity = Date.now()
      if (this.inFlight === 0) this.drained?.()
    })
  }

  private async waitForAnswers(): Promise<void> {
    if (this.inFlight === 0) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CLOSE_GRACE_MS)
      this.drained = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  /** The link's role now (it may have changed since the session began): viewers lose the write tools. */
  applyRole(role: Role): void {
    if (role === this.role && this.writeTools.every((tool) => tool.enabled === (role === 'editor'))) return
    this.role = role
    for (const tool of this.writeTools) {
      if (role === 'editor') tool.enable()
      else tool.disable()
    }
  }

  /** Ends the session once: the protocol closes, the peer leaves the room, its agent link goes. */
  close(reason: string): Promise<void> {
    if (this.closing) return this.closing
    // Set before anything runs: closing the server closes the transport, whose onclose calls back here.
    let done: () => void = () => undefined
    this.closing = new Promise<void>((resolve) => {
      done = resolve
    })
    void (async () => {
      this.deps.log.info({ sessionId: this.id, roomId: this.grant.roomId, reason }, 'MCP session ended')
      this.deps.onClosed(this)
      // A call in progress sees the session closing, stops, and answers before the transport goes.
      await this.waitForAnswers()
      await this.server.close().catch(() => undefined)
      this.peer.showPresence(null)
      await this.peer.flush(1_000)
      this.peer.leave()
      await this.deps.links.revokeAgentLink(this.agentLinkId).catch(() => undefined)
    })().finally(done)
    return this.closing
  }
}
