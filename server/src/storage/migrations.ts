/**
 * Applies `supabase/migrations/*.sql` (the one schema) in file-name order, each once, under a
 * transaction-scoped advisory lock so two instances starting together do not race.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SqlClient } from './sqlClient'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../supabase/migrations/', import.meta.url))

/** Arbitrary constant key for the migration lock (pg advisory locks are keyed by bigint). */
const MIGRATION_LOCK_KEY = 7_204_311_925

export interface Migration {
  name: string
  sql: string
}

export async function readMigrations(directory = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort()
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(join(directory, name), 'utf8') })),
  )
}

/** Applies pending migrations; returns the names it applied. */
export async function applyMigrations(db: SqlClient, migrations: Migration[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY])
    await tx.exec(`create table if not exists drawbridge_migrations (
      name text primary key, applied_at timestamptz not null default now())`)
    const done = new Set(
      (await tx.query<{ name: string }>('select name from drawbridge_migrations')).map((row) => row.name),
    )
    const applied: string[] = []
    for (const migration of migrations) {
      if (done.has(migration.name)) continue
      await tx.exec(migration.sql)
      await tx.query('insert into drawbridge_migrations (name) values ($1)', [migration.name])
      applied.push(migration.name)
    }
    return applied
  })
}
