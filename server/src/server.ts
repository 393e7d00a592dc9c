/**
 * Assembles one Drawbridge server: storage → rooms → sync endpoint + REST API on one HTTP port.
 * The lifecycle in one place: start (migrate, listen) and stop (refuse, close 1012, flush, close DB).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CloseCode } from '@drawbridge/shared'
import { AiService } from './ai/aiService'
import { Assets, openAssetStore } from './assets/assets'
import { createTokenVerifier } from './auth/tokens'
import type { Config } from './config'
import { handleApiRequest } from './http/api'
import type { ApiContext } from './http/context'
import { clientIp, handleCors, setSecurityHeaders } from './http/security'
import { serveStatic } from './http/staticFiles'
import { createLimits } from './limits/limits'
import { createLogger, type Logger } from './logger'
import { McpEndpoint } from './mcp/mcpEndpoint'
import { createMetrics } from './metrics'
import { RoomPersistence } from './persistence/roomPersistence'
import { JobEvents, SOCKET_IO_PATH } from './realtime/jobEvents'
import type { AccessChange } from './rooms/accessChanges'
import { RedisBus } from './scale/redisBus'
import { openStorage } from './storage/openStorage'
import type { Storage } from './storage/storage'
import { RoomRegistry } from './sync/roomRegistry'
import { SYNC_PATH_PREFIX, SyncServer } from './sync/syncServer'
import { RoomVersions } from './versions/versionRecorder'

export interface RunningServer {
  /** `http://host:port` the server listens on. */
  url: string
  port: number
  storage: Storage
  log: Logger
  /** Graceful stop: refuse new work, close sockets with 1012, flush every pending write. */
  stop(): Promise<void>
}

export async function startServer(
  config: Config,
  log: Logger = createLogger(config.logLevel),
): Promise<RunningServer> {
  const metrics = createMetrics()
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, log)
  const bus = config.redisUrl
    ? await RedisBus.connect(
        {
          url: config.redisUrl,
          prefix: config.redisPrefix,
          resyncIntervalMs: config.resyncIntervalMs,
          instanceTtlMs: config.instanceTtlMs,
        },
        metrics,
        log.child({ module: 'scale' }),
      )
    : undefined
  // The room lifecycle (sync/roomHooks.ts): persistence loads and stores every room; automatic
  // versions and, with Redis, replication follow each room's life, in this order.
  const registry = new RoomRegistry(
    {
      documents: new RoomPersistence(
        storage,
        {
          windowMs: config.persistWindowMs,
          compactAfterUpdates: config.compactAfterUpdates,
          compactAfterBytes: config.compactAfterBytes,
        },
        metrics,
      ),
      extensions: [
        new RoomVersions(storage, { intervalMs: config.versionIntervalMs, keepAuto: config.versionKeepAuto }),
        ...(bus ? [bus] : []),
      ],
      roomIdleMs: config.roomIdleMs,
      maxPendingWriteBytes: config.maxPendingWriteBytes,
      maxUpdateBytes: config.maxUpdateBytes,
    },
    metrics,
    log.child({ module: 'rooms' }),
  )
  const limits = createLimits(config, bus?.redis)
  const assets = new Assets(
    await openAssetStore(
      {
        dataDir: config.dataDir,
        supabase: {
          url: config.supabase.url,
          serviceRoleKey: config.assets.supabaseServiceRoleKey,
          bucket: config.assets.supabaseBucket,
        },
      },
      log.child({ module: 'assets' }),
    ),
    storage.assets,
    { maxBytes: config.assets.maxBytes, roomQuotaBytes: config.assets.roomQuotaBytes },
    log.child({ module: 'assets' }),
  )
  // Files of boards deleted while no server ran (or through Supabase's API) go at start-up.
  void assets.sweep().catch((error: unknown) => log.warn({ err: error }, 'asset sweep failed'))
  const verifier = createTokenVerifier({
    supabaseUrl: config.supabase.url,
    jwtSecret: config.supabase.jwtSecret,
    audience: config.supabase.jwtAudience,
  })
  const sync = new SyncServer(
    storage,
    registry,
    {
      maxMessageBytes: config.maxMessageBytes,
      maxBufferedBytes: config.maxBufferedBytes,
      maxTotalBufferedBytes: config.maxTotalBufferedBytes,
      pingIntervalMs: config.pingIntervalMs,
      trustProxy: config.trustProxy,
      limits,
      verifier,
    },
    metrics,
    log.child({ module: 'sync' }),
  )
  /** Access changes take effect on this instance's sockets at once, and on others' through Redis. */
  let mcp: McpEndpoint | undefined
  const applyAccessChange = (change: AccessChange) => {
    void sync.applyAccessChange(change)
    mcp?.applyAccessChange(change)
    if (change.type === 'room-deleted') void registry.discard(change.roomId)
  }
  if (bus) bus.onAccessChange = applyAccessChange
  let publicUrl = config.publicUrl ?? `http://localhost:${config.port}`
  let ownUrl = `http://127.0.0.1:${config.port}`
  const ai = new AiService({
    config: config.ai,
    db: storage.db,
    storage,
    registry,
    serverUrl: () => ownUrl,
    log: log.child({ module: 'ai' }),
  })
  mcp = new McpEndpoint({
    config: config.mcp,
    storage,
    verifier,
    ai,
    serverUrl: () => ownUrl,
    clientIp: (request: IncomingMessage) => clientIp(request, config.trustProxy),
    redis: bus?.redis,
    redisPrefix: config.redisPrefix,
    log: log.child({ module: 'mcp' }),
  })
  const api: ApiContext = {
    storage,
    registry,
    metrics,
    log: log.child({ module: 'http' }),
    maxJsonBodyBytes: config.maxJsonBodyBytes,
    maxImportBytes: config.maxImportBytes,
    publicUrl: () => publicUrl,
    redisHealthy: bus ? () => bus.healthy : undefined,
    pendingWriteBytes: () => registry.pendingWriteBytes(),
    limits,
    verifier,
    publicAuth:
      config.supabase.url && config.supabase.anonKey
        ? { supabaseUrl: config.supabase.url, supabaseAnonKey: config.supabase.anonKey }
        : null,
    tldrawLicenseKey: config.tldrawLicenseKey ?? null,
    clientIp: (request: IncomingMessage) => clientIp(request, config.trustProxy),
    announce: (change: AccessChange) => {
      applyAccessChange(change)
      bus?.publishAccessChange(change)
    },
    assets,
    ai,
    maxAiBodyBytes: Math.max(config.maxJsonBodyBytes, 300 * 1024),
    mcp,
    versionQuotaBytes: config.versionQuotaBytes,
    metricsToken: config.metricsToken,
  }

  const http: Server = createServer((request, response) => {
    if (handleCors(request, response, config.corsOrigins)) return
    handleApiRequest(api, request, response)
      .then((handled) => (handled ? undefined : serveStatic(config.clientDir, request, response)))
      .catch((error) => {
        api.log.error({ err: error }, 'unhandled request error')
        if (!response.headersSent) response.writeHead(500).end()
      })
  })
  const events = new JobEvents(
    http,
    (jobId) => ai.currentState(jobId),
    log.child({ module: 'realtime' }),
    bus ? { pub: bus.redis, sub: bus.redis.duplicate(), prefix: config.redisPrefix } : undefined,
  )
  // First listener for every request, socket.io's too (its engine answers /socket.io/ itself, ahead
  // of the handler above): headers set here are merged into whatever answer follows.
  http.prependListener('request', (request, response) =>
    setSecurityHeaders(request, response, config.trustProxy),
  )
  http.on('upgrade', (request, socket, head) => {
    if (request.url?.startsWith(SYNC_PATH_PREFIX)) {
      sync.handleUpgrade(request, socket, head).catch((error: unknown) => {
        log.error({ err: error }, 'upgrade failed')
        socket.destroy()
      })
    } else if (request.url?.startsWith(SOCKET_IO_PATH)) {
      // socket.io's own upgrade listener answers these.
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    }
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(config.port, config.host, () => resolve())
  })
  const { port } = http.address() as AddressInfo
  if (!config.publicUrl) publicUrl = `http://localhost:${port}`
  ownUrl = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  ai.start(events)
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  log.info({ url, db: storage.kind, instanceId: bus?.instanceId }, 'listening')

  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down: closing connections and flushing writes')
      const closed = new Promise<void>((resolve) => http.close(() => resolve()))
      await mcp?.close()
      await ai.stop()
      await events.close()
      await sync.closeAll(CloseCode.ServiceRestart)
      await registry.closeAll()
      await bus?.close()
      await sync.close()
      http.closeAllConnections()
      await closed
      await storage.close()
      log.info('shut down')
    })()
    return stopping
  }
  return { url, port, storage, log, stop }
}
