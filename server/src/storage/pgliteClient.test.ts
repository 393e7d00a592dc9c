import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite } from './pgliteClient'
import type { SqlClient } from './sqlClient'

const log = pino({ level: 'silent' })

/** Pids of the PGlite hosts registered for `directory`. */
const hostPids = async (directory: string) => (await readdir(`${directory}.hosts`)).map(Number)

describe('PGlite in its host process', () => {
  let root: string
  let directory: string
  let db: SqlClient

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'drawbridge-pglite-'))
    directory = join(root, 'pglite')
    db = await openPglite(directory, log)
    await db.exec('create table t (id int primary key, b bytea, at timestamptz, doc jsonb)')
  }, 120_000)
  afterAll(async () => {
    await db?.close()
    await rm(root, { recursive: true, force: true })
  })

  it('returns bytea, dates and JSON as they were stored', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) % 251)
    const at = new Date('2026-12-07T08:00:00Z')
    await db.query('insert into t values ($1, $2, $3, $4)', [1, bytes, at, { a: [1, 'x'] }])
    const [row] = await db.query<{ b: Uint8Array; at: Date; doc: unknown }>(
      'select b, at, doc from t where id = 1',
    )
    expect(row!.b).toBeInstanceOf(Uint8Array)
    expect(Buffer.compare(Buffer.from(row!.b), Buffer.from(bytes))).toBe(0)
    expect(row!.at).toEqual(at)
    expect(row!.doc).toEqual({ a: [1, 'x'] })
  })

  it('commits a transaction that resolves and rolls back one that throws, with the database error', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into t (id) values (2)')
    })
    const failed = db.transaction(async (tx) => {
      await tx.query('insert into t (id) values (3)')
      await tx.query('insert into t (id) values (2)')
    })
    await expect(failed).rejects.toMatchObject({ code: '23505' })
    const ids = await db.query<{ id: number }>('select id from t order by id')
    expect(ids.map((row) => row.id)).toEqual([1, 2])
  })

  it('replaces a host that died, on the same data', async () => {
    const [first] = await hostPids(directory)
    process.kill(first!, 'SIGKILL')
    // A request sent before the death was noticed fails (as a query on a dropped connection would);
    // the next one starts a new host.
    const read = () => db.query<{ id: number }>('select id from t order by id')
    const ids = await read().catch(read)
    expect(ids.map((row) => row.id)).toEqual([1, 2])
    expect(await hostPids(directory)).not.toContain(first)
  })
})
