/** Entry point: read the configuration, start the server, stop gracefully on SIGTERM/SIGINT. */
import { loadConfig } from './config'
import { createLogger } from './logger'
import { startServer } from './server'

const config = loadConfig()
const log = createLogger(config.logLevel)

try {
  const server = await startServer(config, log)
  const shutdown = (signal: string) => {
    log.info({ signal }, 'signal received')
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
