/** SqlClient over Postgres / Supabase through postgres.js (direct or pooler connection strings). */
import postgres from 'postgres'
import type { SqlClient, SqlQueryable } from './sqlClient'

type Sql = postgres.Sql | postgres.TransactionSql

function toParameter(value: unknown): postgres.ParameterOrJSON<never> {
  // postgres.js infers bytea from Buffer, not from a bare Uint8Array.
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return value as postgres.ParameterOrJSON<never>
}

function queryable(sql: Sql): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const rows = await sql.unsafe(text, params.map(toParameter))
      return rows as unknown as Row[]
    },
    async exec(script: string) {
      await sql.unsafe(script)
    },
  }
}

export async function openPostgres(url: string): Promise<SqlClient> {
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    // Supabase's transaction pooler does not support prepared statements.
    prepare: !/pooler\.supabase\.com:6543/.test(url),
  })
  await sql`select 1`
  return {
    kind: 'postgres',
    ...queryable(sql),
    transaction: (fn) => sql.begin((tx) => fn(queryable(tx))) as Promise<Awaited<ReturnType<typeof fn>>>,
    close: () => sql.end({ timeout: 5 }),
  }
}
