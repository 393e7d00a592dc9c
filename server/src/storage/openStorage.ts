/** Chooses the database from the configuration, applies the migrations and returns Storage. */
import { join } from 'node:path'
import type { Logger } from '../logger'
import { applyMigrations, readMigrations } from './migrations'
import { openPglite } from './pgliteClient'
import { openPostgres } from './postgresClient'
import { SqlStorage } from './sqlStorage'

export async function openStorage(
  options: { databaseUrl: string | undefined; dataDir: string },
  log: Logger,
): Promise<SqlStorage> {
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl)
    : await openPglite(
        options.dataDir.startsWith('memory://') ? options.dataDir : join(options.dataDir, 'pglite'),
        log,
      )
  try {
    const applied = await applyMigrations(db, await readMigrations())
    log.info({ db: db.kind, applied }, 'database ready')
  } catch (error) {
    await db.close()
    throw error
  }
  return new SqlStorage(db)
}
