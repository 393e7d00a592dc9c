/**
 * The messages between the server and its PGlite host process (`hostMain.mjs`), carried over the
 * child's IPC channel with structured clone (`serialization: 'advanced'`), so bytea, Dates and
 * JSON values arrive as they left. Pure types: no I/O.
 */

export type HostRequest =
  | { id: number; op: 'query'; text: string; params: unknown[]; tx?: number }
  | { id: number; op: 'exec'; script: string; tx?: number }
  /** Opens a transaction; its id is the request's id. Other work waits until it ends. */
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit'; tx: number }
  | { id: number; op: 'rollback'; tx: number }
  /** Finishes every request received so far, closes the database and exits. */
  | { id: number; op: 'close' }

/** What survives of a database error (PGlite's `DatabaseError` fields that callers may read). */
export interface HostError {
  message: string
  code?: string
  detail?: string
  constraint?: string
}

export type HostReply =
  | { id: number; ok: true; rows?: object[] }
  | { id: number; ok: false; error: HostError }
  /** Sent once, when the database is open and the migrations may run. */
  | { ready: true; openMs: number }
  | { ready: false; error: HostError }
  /** The database thread finished every request and closed the database. */
  | { closed: true }

/** What the host's main thread tells its database thread: the server's requests, and `drain`. */
export type WorkerRequest = HostRequest | { op: 'drain' }
