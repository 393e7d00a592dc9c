/**
 * Chooses the database from the configuration, applies the migrations and returns every store
 * over it (`Storage`). The SQL client itself stays here: no store hands it on.
 */
import { join } from 'node:path'
import type { StorageConfig } from '../config'
import type { Logger } from '../logger'
import { JobStore } from './copilot/jobStore'
import { UsageStore } from './copilot/usageStore'
import { applyMigrations, readMigrations } from './migrations'
import { openPglite } from './pgliteClient'
import { openPostgres } from './postgresClient'
import { SqlAssetIndex } from './sqlAssets'
import type { SqlClient } from './sqlClient'
import { SqlDocumentLog } from './sqlDocuments'
import { SqlRoomDirectory } from './sqlRooms'
import { SqlVersionStore } from './sqlVersions'
import type { Storage } from './storage'

/** Postgres (Supabase) when `databaseUrl` is set; otherwise embedded PGlite in `${dataDir}/pglite`. */
export async function openStorage(options: StorageConfig, log: Logger): Promise<Storage> {
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
  return storesOver(db)
}

/** Every store over one SQL client. */
function storesOver(db: SqlClient): Storage {
  return {
    kind: db.kind,
    documents: new SqlDocumentLog(db),
    rooms: new SqlRoomDirectory(db),
    versions: new SqlVersionStore(db),
    assets: new SqlAssetIndex(db),
    copilot: { queue: (options) => new JobStore(db, options), usage: new UsageStore(db) },
    ping: async () => {
      await db.query('select 1')
    },
    close: () => db.close(),
  }
}
