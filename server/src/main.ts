/** Entry point: read the configuration, start the server, stop gracefully on SIGTERM/SIGINT. */
import { loadConfig } from './config'
import { createLogger } from './logger'
import { startServer } from './server'

/** A shutdown that cannot flush within this (database unreachable) exits 1 and says so. */
const SHUTDOWN_TIMEOUT_MS = 30_000

const config = loadConfig()
const log = createLogger(config.log.level)

try {
  const server = await startServer(config, log)
  const shutdown = (signal: string) => {
    log.info({ signal }, 'signal received')
    setTimeout(() => {
      log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out: some updates may not be persisted')
      process.exit(1)
    }, SHUTDOWN_TIMEOUT_MS).unref()
    server.stop().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
} catch (error) {
  log.fatal({ err: error }, 'server failed to start')
  process.exit(1)
}
