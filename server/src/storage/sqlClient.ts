/**
 * The narrow SQL surface the storage layer needs, so one implementation of the storage logic runs
 * on embedded PGlite and on Postgres (Supabase). Must not touch: Yjs, rooms, HTTP.
 */

/** Parameterised queries; bytea parameters are `Uint8Array`s, bytea results come back as `Uint8Array`. */
export interface SqlQueryable {
  query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]>
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>
}

export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>
  close(): Promise<void>
  /** A short name for logs and health: `pglite` or `postgres`. */
  readonly kind: 'pglite' | 'postgres'
}
