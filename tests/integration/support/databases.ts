/**
 * Fresh databases for one test run: a temporary PGlite directory, or a new database created on
 * the machine's Postgres (`TEST_DATABASE_URL`, default the local one) and dropped afterwards.
 * An unreachable Postgres fails the run: it is never skipped.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'

export type Backend = 'pglite' | 'postgres'
export const BACKENDS: Backend[] = ['pglite', 'postgres']

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface TestDatabase {
  backend: Backend
  /** Environment overrides that point a server at this database. */
  env: { DATABASE_URL?: string; DATA_DIR: string }
  drop(): Promise<void>
}

export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'drawbridge-test-'))
  if (backend === 'pglite') {
    return { backend, env: { DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) }
  }
  const name = `drawbridge_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    backend,
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    async drop() {
      const cleanup = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} })
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await cleanup.end()
        await rm(dataDir, { recursive: true, force: true })
      }
    },
  }
}
