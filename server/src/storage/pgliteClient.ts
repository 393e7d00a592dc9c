/** SqlClient over embedded PGlite (the default when DATABASE_URL is unset). Single connection. */
import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import type { SqlClient, SqlQueryable } from './sqlClient'

type PgliteLike = Pick<PGlite, 'query' | 'exec'>

function queryable(db: PgliteLike): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(text, params as unknown[])
      return result.rows
    },
    async exec(script: string) {
      await db.exec(script)
    },
  }
}

/** Opens (creating if needed) the PGlite database in `directory`; `memory://` keeps it in memory. */
export async function openPglite(directory: string): Promise<SqlClient> {
  if (!directory.startsWith('memory://')) await mkdir(directory, { recursive: true })
  const db = await PGlite.create(directory)
  return {
    kind: 'pglite',
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    close: () => db.close(),
  }
}
