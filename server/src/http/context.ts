/**
 * ApiContext: everything a REST route may use, built once by `server.ts`. Owns only the type.
 * Must not touch: routes, guards (they import this, never the other way round).
 */
import type { IncomingMessage } from 'node:http'
import type { AiService } from '../ai/aiService'
import type { Assets } from '../assets/assets'
import type { TokenVerifier } from '../auth/tokens'
import type { ApiConfig } from '../config'
import type { Limits } from '../limits/limits'
import type { Logger } from '../logger'
import type { McpEndpoint } from '../mcp/mcpEndpoint'
import type { Metrics } from '../metrics'
import type { AccessChange } from '../rooms/accessChanges'
import type { DatabaseHealth, RoomDirectory, VersionStore } from '../storage/storage'
import type { RoomRegistry } from '../sync/roomRegistry'

/** Everything a route may use: the API's configuration slice, and the parts it talks to. */
export interface ApiContext extends ApiConfig {
  rooms: RoomDirectory
  versions: VersionStore
  /** Which database, and whether it answers (`/healthz`). */
  database: DatabaseHealth
  registry: RoomRegistry
  metrics: Metrics
  log: Logger
  /** Base of the links returned to clients, e.g. `http://localhost:8787`. */
  publicUrl: () => string
  /** Present when REDIS_URL is set: whether both Redis connections are up. */
  redisHealthy: (() => boolean) | undefined
  /** Updates received but not yet written (non-zero while the database is unreachable). */
  pendingWriteBytes: () => Promise<number>
  limits: Limits
  verifier: TokenVerifier | undefined
  /** Supabase settings the client needs to offer sign-in (public values only). */
  publicAuth: { supabaseUrl: string; supabaseAnonKey: string } | null
  clientIp: (request: IncomingMessage) => string
  /** Applies an access change to live connections here and announces it to other instances. */
  announce: (change: AccessChange) => void
  /** Images and videos on boards: checks, quota, the blob store. */
  assets: Assets
  /** The co-pilot: queue, usage, undo. */
  ai: AiService
  /** Largest co-pilot request body (prompt plus an attached text file). */
  maxAiBodyBytes: number
  /** Largest document update a client may send (`MAX_UPDATE_BYTES`), stated in `GET /api/config`. */
  maxUpdateBytes: number
  /** The Model Context Protocol endpoint (`/mcp`). */
  mcp: McpEndpoint
}
