/**
 * A room's document in SQL: the compacted snapshot (`doc_snapshots`), the append-only update log
 * after it (`doc_updates`) and the rows set aside as corrupt (`doc_update_quarantine`).
 */

import { TurnBatch } from '../turnBatch'
import { LockClass } from './lockClasses'
import type { SqlClient, SqlQueryable } from './sqlClient'
import { toBytes } from './sqlRows'
import type { DocumentLog, FoldedDocument, StoredDocument, UpdateLogStats } from './storage'

/** Namespace for per-room advisory locks (first half of the two-int key). */

async function readDocument(db: SqlQueryable, roomId: string): Promise<StoredDocument> {
  const [snapshot] = await db.query<{ state: Uint8Array }>(
    'select state from doc_snapshots where room_id = $1',
    [roomId],
  )
  // Every remaining row: compaction deletes exactly the rows it folded, so a row that committed
  // late with a lower id than the snapshot's newest is still here and still applied.
  const rows = await db.query<{ id: string | number | bigint; update: Uint8Array; update_count: number }>(
    'select id, update, update_count from doc_updates where room_id = $1 order by id',
    [roomId],
  )
  return {
    snapshot: snapshot ? toBytes(snapshot.state) : null,
    updates: rows.map((row) => ({
      id: Number(row.id),
      update: toBytes(row.update),
      updateCount: Number(row.update_count),
    })),
  }
}

/** Copies rows into the quarantine table (the caller deletes them from the log in the same tx). */
async function copyToQuarantine(
  tx: SqlQueryable,
  roomId: string,
  rows: Array<{ id: number; error: string }>,
): Promise<void> {
  for (const row of rows) {
    await tx.query(
      `insert into doc_update_quarantine (id, room_id, update, update_count, error, created_at)
       select id, room_id, update, update_count, $3, created_at from doc_updates where id = $1 and room_id = $2
       on conflict (id) do nothing`,
      [row.id, roomId, row.error.slice(0, 500)],
    )
  }
}

/** Rows per insert statement (each row count is its own prepared statement). */
const APPEND_ROWS_PER_STATEMENT = 64
/** An update at least this big is written by a statement of its own, so it delays no other room. */
const APPEND_ALONE_BYTES = 256 * 1024
const APPEND_ONE = 'insert into doc_updates (room_id, update, update_count) values ($1, $2, $3)'

interface QueuedAppend {
  roomId: string
  update: Uint8Array
  updateCount: number
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * The appends of one turn of the event loop as multi-row inserts: the rooms' write windows end
 * together (`persistence/windowClock.ts`), so under load one statement carries every room's batch
 * instead of one statement each — a statement costs the server a socket write and Postgres a round
 * trip, whatever its size. If a statement fails, its rows are retried one by one, so one room's bad
 * row fails only that room's append.
 */
class AppendBatcher {
  private readonly turn = new TurnBatch<QueuedAppend>((queued) => this.writeQueued(queued))

  constructor(private readonly db: SqlQueryable) {}

  append(roomId: string, update: Uint8Array, updateCount: number): Promise<void> {
    if (update.byteLength >= APPEND_ALONE_BYTES) return this.appendOne({ roomId, update, updateCount })
    return new Promise((resolve, reject) => {
      this.turn.add({ roomId, update, updateCount, resolve, reject })
    })
  }

  private writeQueued(queued: QueuedAppend[]): void {
    for (let i = 0; i < queued.length; i += APPEND_ROWS_PER_STATEMENT)
      void this.insert(queued.slice(i, i + APPEND_ROWS_PER_STATEMENT))
  }

  private async insert(rows: QueuedAppend[]): Promise<void> {
    if (rows.length === 1) {
      const [row] = rows as [QueuedAppend]
      return this.appendOne(row).then(row.resolve, row.reject)
    }
    const values = rows.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(', ')
    try {
      await this.db.query(
        `insert into doc_updates (room_id, update, update_count) values ${values}`,
        rows.flatMap((row) => [row.roomId, row.update, row.updateCount]),
      )
      for (const row of rows) row.resolve()
    } catch {
      await Promise.all(rows.map((row) => this.appendOne(row).then(row.resolve, row.reject)))
    }
  }

  private async appendOne(row: Pick<QueuedAppend, 'roomId' | 'update' | 'updateCount'>): Promise<void> {
    await this.db.query(APPEND_ONE, [row.roomId, row.update, row.updateCount])
  }
}

export class SqlDocumentLog implements DocumentLog {
  private readonly appends: AppendBatcher

  constructor(private readonly db: SqlClient) {
    this.appends = new AppendBatcher(db)
  }

  load(roomId: string): Promise<StoredDocument> {
    return readDocument(this.db, roomId)
  }

  append(roomId: string, update: Uint8Array, updateCount: number): Promise<void> {
    return this.appends.append(roomId, update, updateCount)
  }

  async stats(roomId: string): Promise<UpdateLogStats> {
    const [row] = await this.db.query<{
      count: string | number | bigint
      bytes: string | number | bigint | null
    }>('select count(*) as count, sum(octet_length(update)) as bytes from doc_updates where room_id = $1', [
      roomId,
    ])
    return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0) }
  }

  compact(roomId: string, fold: (document: StoredDocument) => FoldedDocument): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(
        'select pg_try_advisory_xact_lock($1, hashtext($2)) as locked',
        [LockClass.compaction, roomId],
      )
      if (!lock?.locked) return false
      const document = await readDocument(tx, roomId)
      if (document.updates.length === 0) return true
      const { state, corrupt } = fold(document)
      await copyToQuarantine(tx, roomId, corrupt)
      const folded = document.updates.map((row) => row.id)
      await tx.query(
        `insert into doc_snapshots (room_id, state, folded_through, updated_at) values ($1, $2, $3, now())
         on conflict (room_id) do update set state = excluded.state,
           folded_through = greatest(doc_snapshots.folded_through, excluded.folded_through), updated_at = now()`,
        [roomId, state, folded.reduce((a, b) => Math.max(a, b))],
      )
      await tx.query(`delete from doc_updates where id = any(string_to_array($1, ',')::bigint[])`, [
        folded.join(','),
      ])
      return true
    })
  }

  async quarantine(roomId: string, rows: Array<{ id: number; error: string }>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await copyToQuarantine(tx, roomId, rows)
      for (const row of rows)
        await tx.query('delete from doc_updates where id = $1 and room_id = $2', [row.id, roomId])
    })
  }
}
