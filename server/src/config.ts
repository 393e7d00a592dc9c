/**
 * Server configuration: one zod schema, grouped by the part that uses each group, read once from
 * the environment. Every field states its variable, format, default and unit in one place
 * (`variable`, envFields.ts); `Config` is the schema's output, and each part is handed its own
 * slice (`config.ai` to the co-pilot, `config.storage` to openStorage…), never the whole.
 * Nothing else reads `process.env`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DEFAULT_MAX_UPDATE_BYTES } from '@drawbridge/shared'
import { z } from 'zod'
import {
  type ModelRegistry,
  ModelsFile,
  registryFromEnvironment,
  registryFromFile,
} from './ai/models/registry'
import { type Environment, inputFrom, variable, variablesOf, wholeEnvironment } from './envFields'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const intFrom = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback)
const withoutTrailingSlash = (url: string | undefined) => url?.replace(/\/$/, '')

/**
 * The co-pilot's models: from AI_MODELS_FILE, else OPENAI_API_KEY (+ OPENAI_BASE_URL, AI_MODEL);
 * undefined → the built-in planner only (Mermaid, arrow lists, steps, CSV). A models file names the
 * variables that hold its keys, so this group also reads the whole environment.
 */
const ModelSettings = z
  .object({
    file: variable('AI_MODELS_FILE', z.string().min(1).optional()),
    apiKey: variable('OPENAI_API_KEY', z.string().min(1).optional()),
    baseUrl: variable('OPENAI_BASE_URL', z.url().optional()),
    model: variable('AI_MODEL', z.string().min(1).default('gpt-4o-mini')),
    environment: wholeEnvironment(),
  })
  .transform((settings, context): ModelRegistry | undefined => {
    const problem = (message: string) => {
      context.issues.push({ code: 'custom', message, input: settings.file, path: ['file'] })
      return undefined
    }
    if (!settings.file) {
      if (!settings.apiKey) return undefined
      return registryFromEnvironment({
        apiKey: settings.apiKey,
        baseUrl: settings.baseUrl,
        model: settings.model,
      })
    }
    let file: unknown
    try {
      file = JSON.parse(readFileSync(settings.file, 'utf8'))
    } catch (error) {
      return problem(`cannot read ${settings.file}: ${(error as Error).message}`)
    }
    const parsed = ModelsFile.safeParse(file)
    if (!parsed.success) return problem(z.prettifyError(parsed.error))
    try {
      return registryFromFile(parsed.data, (name) => settings.environment[name], settings.apiKey)
    } catch (error) {
      return problem((error as Error).message)
    }
  })

/** Every variable the server reads, grouped by the part that reads it. */
export const ConfigSchema = z
  .object({
    /** The HTTP server (server.ts): where it listens, what it serves, whom it trusts. */
    http: z.object({
      port: variable('PORT', intFrom(8787)),
      host: variable('HOST', z.string().min(1).default('127.0.0.1')),
      /** Base of the links the API returns, e.g. `http://localhost:8787`. */
      publicUrl: variable('PUBLIC_URL', z.url().optional()).transform(withoutTrailingSlash),
      /** The built client (`client/dist`) served at `/` and `/r/*`. */
      clientDir: variable('CLIENT_DIR', z.string().min(1).default(`${REPO_ROOT}client/dist`)),
      /** Behind a reverse proxy: the client address from X-Forwarded-For (and HTTPS from X-Forwarded-Proto). */
      trustProxy: variable('TRUST_PROXY', z.stringbool().default(false)),
      /** Origins allowed to call the API from another site (CORS); empty: same origin only. */
      corsOrigins: variable('CORS_ORIGINS', z.string().default('')).transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim().replace(/\/$/, ''))
          .filter(Boolean),
      ),
    }),
    log: z.object({
      level: variable(
        'LOG_LEVEL',
        z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      ),
    }),
    /** What the REST routes read (http/, `ApiContext`). */
    api: z.object({
      maxJsonBodyBytes: variable('MAX_JSON_BODY_BYTES', intFrom(64 * 1024, 1024)),
      /** Largest .drawio / .xml / .drawio.svg / .drawio.png body the import accepts (413 above). */
      maxImportBytes: variable('MAX_IMPORT_BYTES', intFrom(10 * 1024 * 1024, 1024)),
      /** Total bytes of one room's named versions (507 past it; automatic ones are bounded by count). */
      versionQuotaBytes: variable('ROOM_VERSION_QUOTA_BYTES', intFrom(256 * 1024 * 1024, 1024)),
      /** tldraw licence key the server hands the client at run time (`/api/config`). */
      tldrawLicenseKey: variable('TLDRAW_LICENSE_KEY', z.string().trim().min(1).optional()),
      /** Set → `GET /metrics` needs `Authorization: Bearer <token>`; unset → loopback clients only. */
      metricsToken: variable('METRICS_TOKEN', z.string().min(16, 'at least 16 characters').optional()),
    }),
    /** The y-websocket endpoint (sync/syncServer.ts): frames, backlogs, liveness. */
    sync: z.object({
      maxMessageBytes: variable('MAX_MESSAGE_BYTES', intFrom(8 * 1024 * 1024, 1024)),
      maxBufferedBytes: variable('MAX_BUFFERED_BYTES', intFrom(32 * 1024 * 1024, 1024)),
      /** Ceiling on the bytes queued for all slow readers together; the biggest backlogs are dropped first. */
      maxTotalBufferedBytes: variable('MAX_TOTAL_BUFFERED_BYTES', intFrom(256 * 1024 * 1024, 1024)),
      pingIntervalMs: variable('PING_INTERVAL_MS', intFrom(30_000, 100)),
    }),
    /** Rooms in memory (sync/roomRegistry.ts) and what they write: updates, compaction, versions. */
    rooms: z.object({
      roomIdleMs: variable('ROOM_IDLE_MS', intFrom(30_000)),
      /**
       * Largest single document update a client may send (below MAX_MESSAGE_BYTES); 4413 above it.
       * Stated to clients in `GET /api/config`, which refuse larger changes of their own before sending.
       */
      maxUpdateBytes: variable('MAX_UPDATE_BYTES', intFrom(DEFAULT_MAX_UPDATE_BYTES, 1024)),
      /** A room whose unwritten updates exceed this (database down) refuses new writes until it drains. */
      maxPendingWriteBytes: variable('MAX_PENDING_WRITE_BYTES', intFrom(64 * 1024 * 1024, 1024)),
      /** How long a burst of updates is collected before one row is written. */
      windowMs: variable('PERSIST_WINDOW_MS', intFrom(100)),
      compactAfterUpdates: variable('COMPACT_AFTER_UPDATES', intFrom(500, 2)),
      compactAfterBytes: variable('COMPACT_AFTER_BYTES', intFrom(4 * 1024 * 1024, 1024)),
      versions: z.object({
        /** An active room gets an automatic version at most this often (and on compaction and unload). */
        intervalMs: variable('VERSION_INTERVAL_MS', intFrom(5 * 60_000, 100)),
        /** Automatic versions kept per room (named ones are kept until deleted). */
        keepAuto: variable('VERSION_KEEP_AUTO', intFrom(100, 1)),
      }),
    }),
    /** Rate limits (limits/limits.ts), shared through Redis when it is set. */
    limits: z.object({
      /** WebSocket connection attempts per client IP. */
      wsConnectsPerMinute: variable('WS_CONNECTS_PER_MINUTE', intFrom(120, 1)),
      /** Rooms created per client IP. */
      roomsPerHour: variable('ROOMS_PER_HOUR', intFrom(60, 1)),
      /** Frames per connection (bursts of ten seconds' worth allowed). */
      messagesPerSecond: variable('MESSAGES_PER_SECOND', intFrom(300, 1)),
      /** Bytes per connection (bursts of ten seconds' worth allowed). */
      bytesPerSecond: variable('BYTES_PER_SECOND', intFrom(2 * 1024 * 1024, 1024)),
      /** Named versions saved (or restores, which save one) per room. */
      namedVersionsPerMinute: variable('NAMED_VERSIONS_PER_MINUTE', intFrom(6, 1)),
      /** Named versions saved (or restores) per client IP, across rooms. */
      namedVersionsPerIpPerMinute: variable('NAMED_VERSIONS_PER_IP_PER_MINUTE', intFrom(20, 1)),
    }),
    /** The database (storage/openStorage.ts). */
    storage: z.object({
      databaseUrl: variable('DATABASE_URL', z.string().min(1).optional()),
      /** Embedded PGlite lives in `${dataDir}/pglite` when `databaseUrl` is unset; local assets in `${dataDir}/assets`. */
      dataDir: variable('DATA_DIR', z.string().min(1).default('./data')),
    }),
    /** Rooms shared with other instances through Redis pub/sub (scale/redisBus.ts), when `url` is set. */
    redis: z.object({
      url: variable('REDIS_URL', z.string().min(1).optional()),
      /** Prefix of every Redis key and channel (one per deployment, or per test run). */
      prefix: variable('REDIS_PREFIX', z.string().min(1).default('drawbridge:')),
      /** How often instances compare state vectors per room to repair dropped messages. */
      resyncIntervalMs: variable('RESYNC_INTERVAL_MS', intFrom(5_000, 50)),
      /** An instance whose heartbeat is older than this is presumed dead; others persist what it had not. */
      instanceTtlMs: variable('INSTANCE_TTL_MS', intFrom(10_000, 300)),
    }),
    /** Supabase Auth (auth/tokens.ts): the client signs in when url + anon key are set; the server verifies JWTs. */
    auth: z.object({
      supabaseUrl: variable('SUPABASE_URL', z.url().optional()).transform(withoutTrailingSlash),
      supabaseAnonKey: variable('SUPABASE_ANON_KEY', z.string().min(1).optional()),
      jwtSecret: variable('SUPABASE_JWT_SECRET', z.string().min(16).optional()),
      audience: variable('SUPABASE_JWT_AUDIENCE', z.string().min(1).default('authenticated')),
    }),
    /** Images and videos on boards (assets/). */
    assets: z.object({
      limits: z.object({
        /** Largest file `POST …/assets` accepts (413 above). */
        maxBytes: variable('MAX_ASSET_BYTES', intFrom(10 * 1024 * 1024, 1024)),
        /** Total bytes of the distinct files one board may use (507 past it). */
        roomQuotaBytes: variable('ROOM_ASSET_QUOTA_BYTES', intFrom(200 * 1024 * 1024, 1024)),
      }),
      /** With SUPABASE_URL and the service-role key set, files go to this bucket; otherwise `DATA_DIR/assets`. */
      supabase: z.object({
        serviceRoleKey: variable('SUPABASE_SERVICE_ROLE_KEY', z.string().min(1).optional()),
        bucket: variable(
          'SUPABASE_STORAGE_BUCKET',
          z
            .string()
            .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'a bucket name: lowercase letters, digits, . _ -')
            .default('drawbridge-assets'),
        ),
      }),
    }),
    /** The co-pilot (ai/): models, the queue and its limits (plans live in the database: docs/architecture.md, "Plans"). */
    ai: z.object({
      registry: ModelSettings,
      /** Jobs this instance runs at once (0: this instance only queues; `pnpm agent` processes run them). */
      workers: variable('AI_WORKERS', intFrom(2)),
      /** Queued jobs beyond this are refused with 503. */
      queueMax: variable('AI_QUEUE_MAX', intFrom(1000, 1)),
      /** Model calls per minute across every instance; over it, jobs wait. */
      globalRequestsPerMinute: variable('AI_GLOBAL_RPM', intFrom(60, 1)),
      /** Model tokens (in + out) per minute across every instance; over it, jobs wait. */
      globalTokensPerMinute: variable('AI_GLOBAL_TPM', intFrom(200_000, 1)),
      /** Retries of one model on 429/5xx/timeouts before the next model in the fallback list. */
      maxRetries: variable('AI_MAX_RETRIES', intFrom(3)),
      /** First backoff; doubles per retry, with full jitter. */
      retryBaseMs: variable('AI_RETRY_BASE_MS', intFrom(500, 1)),
      timeoutMs: variable('AI_TIMEOUT_MS', intFrom(60_000, 100)),
      /** A running job whose instance stops renewing its lease for this long is run again elsewhere. */
      jobLeaseMs: variable('AI_JOB_LEASE_MS', intFrom(60_000, 500)),
      /** A queued job gains one priority step per this many seconds of waiting (no plan starves). */
      ageingSeconds: variable('AI_AGEING_SECONDS', intFrom(60, 1)),
      /** How often idle workers look for jobs queued by other instances. */
      pollMs: variable('AI_POLL_MS', intFrom(1000, 10)),
      /** The window the global limits count over (a minute; shorter in tests). */
      globalWindowMs: variable('AI_GLOBAL_WINDOW_MS', intFrom(60_000, 100)),
      /** Requests the built-in planner answers (no model), per requester per minute; they spend no plan quota. */
      plannerPerMinute: variable('AI_PLANNER_PER_MINUTE', intFrom(20, 1)),
      /** Model requests from anonymous link holders at one address, across every board. */
      anonymousPerAddress: z.object({
        perHour: variable('AI_ANON_IP_PER_HOUR', intFrom(20, 1)),
        perDay: variable('AI_ANON_IP_PER_DAY', intFrom(50, 1)),
      }),
    }),
    /** The Model Context Protocol endpoint `/mcp` (mcp/, docs/mcp.md). */
    mcp: z.object({
      /** HTTP requests to `/mcp`, per link and per client IP. */
      requestsPerMinute: variable('MCP_REQUESTS_PER_MINUTE', intFrom(120, 1)),
      /** Tool calls, per link and per client IP. */
      callsPerHour: variable('MCP_CALLS_PER_HOUR', intFrom(300, 1)),
      /** Nodes + edges + groups of one `draw_diagram`, or operations of one `edit_board`. */
      maxShapesPerCall: variable('MCP_MAX_SHAPES_PER_CALL', intFrom(200, 1)),
      /** A session without a request for this long ends (its peer leaves the room). */
      sessionIdleMs: variable('MCP_SESSION_IDLE_MS', intFrom(30 * 60_000, 100)),
      /** Open sessions on this instance; an `initialize` past it gets 503. */
      maxSessions: variable('MCP_MAX_SESSIONS', intFrom(200, 1)),
    }),
  })
  .superRefine((config, context) => {
    const { maxUpdateBytes } = config.rooms
    const { maxMessageBytes } = config.sync
    if (maxUpdateBytes >= maxMessageBytes)
      context.addIssue({
        code: 'custom',
        message: `MAX_UPDATE_BYTES (${maxUpdateBytes}) must be below MAX_MESSAGE_BYTES (${maxMessageBytes})`,
        path: [],
      })
  })

export type Config = z.output<typeof ConfigSchema>
export type AiConfig = Config['ai']
export type McpConfig = Config['mcp']
export type ApiConfig = Config['api']
export type LimitsConfig = Config['limits']
export type AssetsConfig = Config['assets']
export type StorageConfig = Config['storage']
export type AuthConfig = Config['auth']

const VARIABLES = variablesOf(ConfigSchema)

/** Every variable the server reads, by name, with its format and default (the README's table is checked against it). */
export const EnvSchema = z.object(Object.fromEntries(VARIABLES.map((entry) => [entry.name, entry.type])))

const VARIABLE_AT = new Map(VARIABLES.map((entry) => [entry.path.join('.'), entry.name]))

/**
 * The environment without variables set to nothing: `OPENAI_API_KEY=` (as `.env` templates and
 * compose files write it) means "not set", so the default applies instead of a format error.
 */
function withoutEmpty(env: Environment): Environment {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  )
}

/** Reads and validates the configuration; throws one error listing every bad variable. */
export function loadConfig(environment: Environment = process.env): Config {
  const parsed = ConfigSchema.safeParse(inputFrom(ConfigSchema, withoutEmpty(environment)))
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => {
    const name = VARIABLE_AT.get(issue.path.join('.'))
    return name ? `${name}: ${issue.message}` : issue.message
  })
  throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
}
