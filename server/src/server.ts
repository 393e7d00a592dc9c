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
  log: Logger = createLogger(config.log.level),
): Promise<RunningServer> {
  const metrics = createMetrics()
  const storage = await openStorage(config.storage, log)
  const redisUrl = config.redis.url
  const bus = redisUrl
    ? await RedisBus.connect({ ...config.redis, url: redisUrl }, metrics, log.child({ module: 'scale' }))
    : undefined
  // The room lifecycle (sync/roomHooks.ts): persistence loads and stores every room; automatic
  // versions and, with Redis, replication follow each room's life, in this order.
  const { versions, windowMs, compactAfterUpdates, compactAfterBytes, ...roomLimits } = config.rooms
  const registry = new RoomRegistry(
    {
      documents: new RoomPersistence(
        storage.documents,
        { windowMs, compactAfterUpdates, compactAfterBytes },
        metrics,
      ),
      extensions: [new RoomVersions(storage.versions, versions), ...(bus ? [bus] : [])],
      ...roomLimits,
    },
    metrics,
    log.child({ module: 'rooms' }),
  )
  const limits = createLimits(config.limits, bus && { client: bus.redis, prefix: config.redis.prefix })
  const assets = new Assets(
    await openAssetStore(
      config.assets,
      { dataDir: config.storage.dataDir, supabaseUrl: config.auth.supabaseUrl },
      log.child({ module: 'assets' }),
    ),
    storage.assets,
    config.assets.limits,
    log.child({ module: 'assets' }),
  )
  // Files of boards deleted while no server ran (or through Supabase's API) go at start-up.
  void assets.sweep().catch((error: unknown) => log.warn({ err: error }, 'asset sweep failed'))
  const verifier = createTokenVerifier(config.auth)
  const sync = new SyncServer(
    storage.rooms,
    registry,
    { ...config.sync, trustProxy: config.http.trustProxy, limits, verifier },
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
  const { port: configuredPort, host, trustProxy } = config.http
  let publicUrl = config.http.publicUrl ?? `http://localhost:${configuredPort}`
  let ownUrl = `http://127.0.0.1:${configuredPort}`
  const ai = new AiService({
    config: config.ai,
    store: storage.copilot,
    links: storage.rooms,
    registry,
    serverUrl: () => ownUrl,
    log: log.child({ module: 'ai' }),
  })
  mcp = new McpEndpoint({
    config: config.mcp,
    rooms: storage.rooms,
    verifier,
    ai,
    serverUrl: () => ownUrl,
    clientIp: (request: IncomingMessage) => clientIp(request, trustProxy),
    redis: bus?.redis,
    redisPrefix: config.redis.prefix,
    log: log.child({ module: 'mcp' }),
  })
  const api: ApiContext = {
    ...config.api,
    rooms: storage.rooms,
    versions: storage.versions,
    database: { kind: storage.kind, ping: () => storage.ping() },
    registry,
    metrics,
    log: log.child({ module: 'http' }),
    publicUrl: () => publicUrl,
    redisHealthy: bus ? () => bus.healthy : undefined,
    pendingWriteBytes: () => registry.pendingWriteBytes(),
    limits,
    verifier,
    publicAuth:
      config.auth.supabaseUrl && config.auth.supabaseAnonKey
        ? { supabaseUrl: config.auth.supabaseUrl, supabaseAnonKey: config.auth.supabaseAnonKey }
        : null,
    clientIp: (request: IncomingMessage) => clientIp(request, trustProxy),
    announce: (change: AccessChange) => {
      applyAccessChange(change)
      bus?.publishAccessChange(change)
    },
    assets,
    ai,
    maxAiBodyBytes: Math.max(config.api.maxJsonBodyBytes, 300 * 1024),
    maxUpdateBytes: config.rooms.maxUpdateBytes,
    mcp,
  }

  const http: Server = createServer((request, response) => {
    if (handleCors(request, response, config.http.corsOrigins)) return
    handleApiRequest(api, request, response)
      .then((handled) => (handled ? undefined : serveStatic(config.http.clientDir, request, response)))
      .catch((error) => {
        api.log.error({ err: error }, 'unhandled request error')
        if (!response.headersSent) response.writeHead(500).end()
      })
  })
  const events = new JobEvents(
    http,
    (jobId) => ai.currentState(jobId),
    log.child({ module: 'realtime' }),
    bus
      ? {
          pub: bus.redis,
          sub: bus.redis.duplicate(),
          prefix: config.redis.prefix,
          // Loaded only with Redis, as the bus's client is.
          createAdapter: (await import('@socket.io/redis-adapter')).createAdapter,
        }
      : undefined,
  )
  // First listener for every request, socket.io's too (its engine answers /socket.io/ itself, ahead
  // of the handler above): headers set here are merged into whatever answer follows.
  http.prependListener('request', (request, response) => setSecurityHeaders(request, response, trustProxy))
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
    http.listen(configuredPort, host, () => resolve())
  })
  const { port } = http.address() as AddressInfo
  if (!config.http.publicUrl) publicUrl = `http://localhost:${port}`
  ownUrl = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}`
  ai.start(events)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
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
