/**
 * Server configuration: read once from the environment, validated with zod, typed. Every tunable
 * the server has lives here with its unit in its name; nothing else reads `process.env`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import {
  type ModelRegistry,
  ModelsFile,
  registryFromEnvironment,
  registryFromFile,
} from './ai/models/registry'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const intFrom = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback)

/** Every variable the server reads, with its format and default (exported for the tests). */
export const EnvSchema = z.object({
  PORT: intFrom(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLIENT_DIR: z.string().min(1).default(`${REPO_ROOT}client/dist`),
  MAX_MESSAGE_BYTES: intFrom(8 * 1024 * 1024, 1024),
  MAX_UPDATE_BYTES: intFrom(4 * 1024 * 1024, 1024),
  MAX_BUFFERED_BYTES: intFrom(32 * 1024 * 1024, 1024),
  MAX_TOTAL_BUFFERED_BYTES: intFrom(256 * 1024 * 1024, 1024),
  ROOM_IDLE_MS: intFrom(30_000),
  PING_INTERVAL_MS: intFrom(30_000, 100),
  PERSIST_WINDOW_MS: intFrom(100),
  MAX_PENDING_WRITE_BYTES: intFrom(64 * 1024 * 1024, 1024),
  COMPACT_AFTER_UPDATES: intFrom(500, 2),
  COMPACT_AFTER_BYTES: intFrom(4 * 1024 * 1024, 1024),
  MAX_JSON_BODY_BYTES: intFrom(64 * 1024, 1024),
  MAX_IMPORT_BYTES: intFrom(10 * 1024 * 1024, 1024),
  VERSION_INTERVAL_MS: intFrom(5 * 60_000, 100),
  VERSION_KEEP_AUTO: intFrom(100, 1),
  TLDRAW_LICENSE_KEY: z.string().trim().min(1).optional(),
  ROOM_VERSION_QUOTA_BYTES: intFrom(256 * 1024 * 1024, 1024),
  NAMED_VERSIONS_PER_MINUTE: intFrom(6, 1),
  NAMED_VERSIONS_PER_IP_PER_MINUTE: intFrom(20, 1),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  SUPABASE_URL: z.url().optional(),
  SUPABASE_ANON_KEY: z.string().min(1).optional(),
  SUPABASE_JWT_SECRET: z.string().min(16).optional(),
  SUPABASE_JWT_AUDIENCE: z.string().min(1).default('authenticated'),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
  SUPABASE_STORAGE_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a bucket name: lowercase letters, digits, . _ -')
    .default('drawbridge-assets'),
  MAX_ASSET_BYTES: intFrom(10 * 1024 * 1024, 1024),
  ROOM_ASSET_QUOTA_BYTES: intFrom(200 * 1024 * 1024, 1024),
  TRUST_PROXY: z.stringbool().default(false),
  CORS_ORIGINS: z.string().default(''),
  WS_CONNECTS_PER_MINUTE: intFrom(120, 1),
  ROOMS_PER_HOUR: intFrom(60, 1),
  MESSAGES_PER_SECOND: intFrom(300, 1),
  BYTES_PER_SECOND: intFrom(2 * 1024 * 1024, 1024),
  REDIS_URL: z.string().min(1).optional(),
  REDIS_PREFIX: z.string().min(1).default('drawbridge:'),
  RESYNC_INTERVAL_MS: intFrom(5_000, 50),
  INSTANCE_TTL_MS: intFrom(10_000, 300),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  AI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  AI_MODELS_FILE: z.string().min(1).optional(),
  AI_WORKERS: intFrom(2),
  AI_QUEUE_MAX: intFrom(1000, 1),
  AI_GLOBAL_RPM: intFrom(60, 1),
  AI_GLOBAL_TPM: intFrom(200_000, 1),
  AI_MAX_RETRIES: intFrom(3),
  AI_RETRY_BASE_MS: intFrom(500, 1),
  AI_TIMEOUT_MS: intFrom(60_000, 100),
  AI_JOB_LEASE_MS: intFrom(60_000, 500),
  AI_AGEING_SECONDS: intFrom(60, 1),
  AI_POLL_MS: intFrom(1000, 10),
  AI_GLOBAL_WINDOW_MS: intFrom(60_000, 100),
  AI_PLANNER_PER_MINUTE: intFrom(20, 1),
  AI_ANON_IP_PER_HOUR: intFrom(20, 1),
  AI_ANON_IP_PER_DAY: intFrom(50, 1),
  MCP_REQUESTS_PER_MINUTE: intFrom(120, 1),
  MCP_CALLS_PER_HOUR: intFrom(300, 1),
  MCP_MAX_SHAPES_PER_CALL: intFrom(200, 1),
  MCP_SESSION_IDLE_MS: intFrom(30 * 60_000, 100),
  MCP_MAX_SESSIONS: intFrom(200, 1),
})

/**
 * The environment without variables set to nothing: `OPENAI_API_KEY=` (as `.env` templates and
 * compose files write it) means "not set", so the default applies instead of a format error.
 */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  )
}

export interface Config {
  port: number
  host: string
  /** Base of the links the API returns, e.g. `http://localhost:8787`. */
  publicUrl: string | undefined
  /** Embedded PGlite lives in `${dataDir}/pglite` when `databaseUrl` is unset. */
  dataDir: string
  databaseUrl: string | undefined
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL']
  /** The built client (`client/dist`) served at `/` and `/r/*`. */
  clientDir: string
  maxMessageBytes: number
  /** Largest single document update a client may send (below `maxMessageBytes`); 4413 above it. */
  maxUpdateBytes: number
  maxBufferedBytes: number
  /** Ceiling on the bytes queued for all slow readers together; the biggest backlogs are dropped first. */
  maxTotalBufferedBytes: number
  roomIdleMs: number
  pingIntervalMs: number
  persistWindowMs: number
  /** A room whose unwritten updates exceed this (database down) refuses new writes until it drains. */
  maxPendingWriteBytes: number
  compactAfterUpdates: number
  compactAfterBytes: number
  maxJsonBodyBytes: number
  /** Largest .drawio / .xml / .drawio.svg / .drawio.png body the import accepts (413 above). */
  maxImportBytes: number
  /** tldraw licence key the server hands the client at run time (`/api/config`). */
  tldrawLicenseKey: string | undefined
  /** An active room gets an automatic version at most this often (and on compaction and unload). */
  versionIntervalMs: number
  /** Automatic versions kept per room (named ones are kept until deleted). */
  versionKeepAuto: number
  /** Total bytes of one room's named versions (507 past it; automatic ones are bounded by count). */
  versionQuotaBytes: number
  /** Set → `GET /metrics` needs `Authorization: Bearer <token>`; unset → loopback clients only. */
  metricsToken: string | undefined
  /** Supabase Auth: the client signs in when url + anon key are set; the server verifies JWTs. */
  supabase: {
    url: string | undefined
    anonKey: string | undefined
    jwtSecret: string | undefined
    jwtAudience: string
  }
  /** Images and videos on boards (`server/src/assets`). */
  assets: {
    /** Largest file `POST …/assets` accepts (413 above). */
    maxBytes: number
    /** Total bytes of the distinct files one board may use (507 past it). */
    roomQuotaBytes: number
    /** With `supabase.url` set, files go to this Supabase Storage bucket; otherwise `DATA_DIR/assets`. */
    supabaseServiceRoleKey: string | undefined
    supabaseBucket: string
  }
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (and HTTPS from X-Forwarded-Proto). */
  trustProxy: boolean
  /** Origins allowed to call the API from another site (CORS); empty: same origin only. */
  corsOrigins: string[]
  limits: {
    /** WebSocket connection attempts per client IP. */
    wsConnectsPerMinute: number
    /** Rooms created per client IP. */
    roomsPerHour: number
    /** Frames per connection (bursts of ten seconds' worth allowed). */
    messagesPerSecond: number
    /** Bytes per connection (bursts of ten seconds' worth allowed). */
    bytesPerSecond: number
    /** Named versions saved (or restores, which save one) per room. */
    namedVersionsPerMinute: number
    /** Named versions saved (or restores) per client IP, across rooms. */
    namedVersionsPerIpPerMinute: number
  }
  /** Set → rooms are shared with other instances through Redis pub/sub. */
  redisUrl: string | undefined
  /** Prefix of every Redis key and channel (one per deployment, or per test run). */
  redisPrefix: string
  /** How often instances compare state vectors per room to repair dropped messages. */
  resyncIntervalMs: number
  /** An instance whose heartbeat is older than this is presumed dead; others persist what it had not. */
  instanceTtlMs: number
  ai: AiConfig
  mcp: McpConfig
}

/** The Model Context Protocol endpoint `/mcp` (docs/mcp.md). */
export interface McpConfig {
  /** HTTP requests to `/mcp`, per link and per client IP. */
  requestsPerMinute: number
  /** Tool calls, per link and per client IP. */
  callsPerHour: number
  /** Nodes + edges + groups of one `draw_diagram`, or operations of one `edit_board`. */
  maxShapesPerCall: number
  /** A session without a request for this long ends (its peer leaves the room). */
  sessionIdleMs: number
  /** Open sessions on this instance; an `initialize` past it gets 503. */
  maxSessions: number
}

/** The co-pilot: models, the queue and its limits (plans live in the database: docs/architecture.md, "Plans"). */
export interface AiConfig {
  /**
   * Models the co-pilot may call: from AI_MODELS_FILE, else OPENAI_API_KEY (+ OPENAI_BASE_URL,
   * AI_MODEL); undefined → the built-in planner only (Mermaid, arrow lists, steps, CSV).
   */
  registry: ModelRegistry | undefined
  /** Jobs this instance runs at once (0: this instance only queues; `pnpm agent` processes run them). */
  workers: number
  /** Queued jobs beyond this are refused with 503. */
  queueMax: number
  /** Model calls per minute across every instance; over it, jobs wait. */
  globalRequestsPerMinute: number
  /** Model tokens (in + out) per minute across every instance; over it, jobs wait. */
  globalTokensPerMinute: number
  /** Retries of one model on 429/5xx/timeouts before the next model in the fallback list. */
  maxRetries: number
  /** First backoff; doubles per retry, with full jitter. */
  retryBaseMs: number
  timeoutMs: number
  /** A running job whose instance stops renewing its lease for this long is run again elsewhere. */
  jobLeaseMs: number
  /** A queued job gains one priority step per this many seconds of waiting (no plan starves). */
  ageingSeconds: number
  /** How often idle workers look for jobs queued by other instances. */
  pollMs: number
  /** The window the global limits count over (a minute; shorter in tests). */
  globalWindowMs: number
  /** Requests the built-in planner answers (no model), per requester per minute; they spend no plan quota. */
  plannerPerMinute: number
  /** Model requests from anonymous link holders at one address, across every board. */
  anonymousPerAddress: { perHour: number; perDay: number }
}

function readModelRegistry(e: z.infer<typeof EnvSchema>, env: NodeJS.ProcessEnv): ModelRegistry | undefined {
  if (e.AI_MODELS_FILE) {
    let file: unknown
    try {
      file = JSON.parse(readFileSync(e.AI_MODELS_FILE, 'utf8'))
    } catch (error) {
      throw new Error(`AI_MODELS_FILE: cannot read ${e.AI_MODELS_FILE}: ${(error as Error).message}`)
    }
    const parsed = ModelsFile.safeParse(file)
    if (!parsed.success) throw new Error(`AI_MODELS_FILE: ${z.prettifyError(parsed.error)}`)
    return registryFromFile(parsed.data, (variable) => env[variable], e.OPENAI_API_KEY)
  }
  if (!e.OPENAI_API_KEY) return undefined
  return registryFromEnvironment({ apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, model: e.AI_MODEL })
}

/** Reads and validates the configuration; throws one error listing every bad variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const env = withoutEmpty(environment)
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  if (e.MAX_UPDATE_BYTES >= e.MAX_MESSAGE_BYTES) {
    throw new Error(
      `Invalid configuration:\n  MAX_UPDATE_BYTES (${e.MAX_UPDATE_BYTES}) must be below MAX_MESSAGE_BYTES (${e.MAX_MESSAGE_BYTES})`,
    )
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    clientDir: e.CLIENT_DIR,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxUpdateBytes: e.MAX_UPDATE_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    maxTotalBufferedBytes: e.MAX_TOTAL_BUFFERED_BYTES,
    roomIdleMs: e.ROOM_IDLE_MS,
    pingIntervalMs: e.PING_INTERVAL_MS,
    persistWindowMs: e.PERSIST_WINDOW_MS,
    maxPendingWriteBytes: e.MAX_PENDING_WRITE_BYTES,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    compactAfterBytes: e.COMPACT_AFTER_BYTES,
    maxJsonBodyBytes: e.MAX_JSON_BODY_BYTES,
    maxImportBytes: e.MAX_IMPORT_BYTES,
    versionIntervalMs: e.VERSION_INTERVAL_MS,
    versionKeepAuto: e.VERSION_KEEP_AUTO,
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY,
    versionQuotaBytes: e.ROOM_VERSION_QUOTA_BYTES,
    metricsToken: e.METRICS_TOKEN,
    supabase: {
      url: e.SUPABASE_URL?.replace(/\/$/, ''),
      anonKey: e.SUPABASE_ANON_KEY,
      jwtSecret: e.SUPABASE_JWT_SECRET,
      jwtAudience: e.SUPABASE_JWT_AUDIENCE,
    },
    assets: {
      maxBytes: e.MAX_ASSET_BYTES,
      roomQuotaBytes: e.ROOM_ASSET_QUOTA_BYTES,
      supabaseServiceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY,
      supabaseBucket: e.SUPABASE_STORAGE_BUCKET,
    },
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter(Boolean),
    limits: {
      wsConnectsPerMinute: e.WS_CONNECTS_PER_MINUTE,
      roomsPerHour: e.ROOMS_PER_HOUR,
      messagesPerSecond: e.MESSAGES_PER_SECOND,
      bytesPerSecond: e.BYTES_PER_SECOND,
      namedVersionsPerMinute: e.NAMED_VERSIONS_PER_MINUTE,
      namedVersionsPerIpPerMinute: e.NAMED_VERSIONS_PER_IP_PER_MINUTE,
    },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    resyncIntervalMs: e.RESYNC_INTERVAL_MS,
    instanceTtlMs: e.INSTANCE_TTL_MS,
    ai: {
      registry: readModelRegistry(e, env),
      workers: e.AI_WORKERS,
      queueMax: e.AI_QUEUE_MAX,
      globalRequestsPerMinute: e.AI_GLOBAL_RPM,
      globalTokensPerMinute: e.AI_GLOBAL_TPM,
      maxRetries: e.AI_MAX_RETRIES,
      retryBaseMs: e.AI_RETRY_BASE_MS,
      timeoutMs: e.AI_TIMEOUT_MS,
      jobLeaseMs: e.AI_JOB_LEASE_MS,
      ageingSeconds: e.AI_AGEING_SECONDS,
      pollMs: e.AI_POLL_MS,
      globalWindowMs: e.AI_GLOBAL_WINDOW_MS,
      plannerPerMinute: e.AI_PLANNER_PER_MINUTE,
      anonymousPerAddress: { perHour: e.AI_ANON_IP_PER_HOUR, perDay: e.AI_ANON_IP_PER_DAY },
    },
    mcp: {
      requestsPerMinute: e.MCP_REQUESTS_PER_MINUTE,
      callsPerHour: e.MCP_CALLS_PER_HOUR,
      maxShapesPerCall: e.MCP_MAX_SHAPES_PER_CALL,
      sessionIdleMs: e.MCP_SESSION_IDLE_MS,
      maxSessions: e.MCP_MAX_SESSIONS,
    },
  }
}
