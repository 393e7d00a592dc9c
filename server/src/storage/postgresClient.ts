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

/**
 * `prepare`: named prepared statements, one per query text and connection. postgres.js leaves
 * `unsafe` queries unprepared by default, and then every query with parameters waits for a Describe
 * round trip before it is bound (two writes, two replies, no pipelining): under the fan-out bench
 * that was 13 % of the server's CPU, writing the update log. Every query text here is a constant.
 */
function queryable(sql: Sql, prepare: boolean): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      const rows = await sql.unsafe(text, params.map(toParameter), { prepare })
      return rows as unknown as Row[]
    },
    async exec(script: string) {
      await sql.unsafe(script)
    },
  }
}

export async function openPostgres(url: string): Promise<SqlClient> {
  // Supabase's transaction pooler does not support prepared statements.
  const prepare = !/pooler\.supabase\.com:6543/.test(url)
  const sql = postgres(url, { max: 10, onnotice: () => {}, prepare })
  await sql`select 1`
  return {
    kind: 'postgres',
    ...queryable(sql, prepare),
    transaction: (fn) =>
      sql.begin((tx) => fn(queryable(tx, prepare))) as Promise<Awaited<ReturnType<typeof fn>>>,
    close: () => sql.end({ timeout: 5 }),
  }
}
