/**
 * Version history in SQL: save (named ones within the board's quota), list (newest first), read
 * one, prune automatic ones.
 */
import { randomUUID } from 'node:crypto'
import type { SqlClient, SqlQueryable } from './sqlClient'
import { toBytes, toDate } from './sqlRows'
import type { NamedVersionSave, VersionKind, VersionSummary } from './storage'

/** Namespace for the per-room advisory lock around a quota check (see sqlAssets.ts for the others). */
const ROOM_VERSION_LOCK_CLASS = 71_045

interface VersionRow {
  id: string
  name: string | null
  kind: VersionKind
  actors: string[] | string
  created_at: Date | string
}

export async function saveVersion(
  db: SqlQueryable,
  input: {
    roomId: string
    name: string | null
    kind: VersionKind
    state: Uint8Array
    actors: string[]
  },
): Promise<VersionSummary> {
  const id = randomUUID()
  const [row] = await db.query<{ created_at: Date | string }>(
    `insert into doc_versions (id, room_id, name, kind, state, actors) values ($1, $2, $3, $4, $5, $6::text::jsonb)
     returning created_at`,
    [id, input.roomId, input.name, input.kind, input.state, JSON.stringify(input.actors)],
  )
  return { id, name: input.name, kind: input.kind, at: toDate(row!.created_at)!, actors: input.actors }
}

/**
 * Saves a named version unless the room's named versions would then hold more than `quotaBytes`
 * (automatic ones are bounded by count instead). Checked and written under a per-room lock, so two
 * saves at once cannot both slip under the quota.
 */
export async function saveNamedVersion(
  db: SqlClient,
  input: { roomId: string; name: string; state: Uint8Array; actors: string[] },
  quotaBytes: number,
): Promise<NamedVersionSave> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [
      ROOM_VERSION_LOCK_CLASS,
      input.roomId,
    ])
    const [row] = await tx.query<{ used: string | number }>(
      `select coalesce(sum(octet_length(state)), 0) as used from doc_versions where room_id = $1 and kind = 'named'`,
      [input.roomId],
    )
    const usedBytes = Number(row?.used ?? 0)
    if (usedBytes + input.state.byteLength > quotaBytes) return { ok: false, usedBytes }
    return { ok: true, version: await saveVersion(tx, { ...input, kind: 'named' }) }
  })
}

export async function listVersions(db: SqlClient, roomId: string): Promise<VersionSummary[]> {
  const rows = await db.query<VersionRow>(
    `select id, name, kind, actors, created_at from doc_versions where room_id = $1
      order by created_at desc, id desc limit 500`,
    [roomId],
  )
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    at: toDate(row.created_at)!,
    actors: typeof row.actors === 'string' ? (JSON.parse(row.actors) as string[]) : row.actors,
  }))
}

export async function loadVersion(
  db: SqlClient,
  roomId: string,
  versionId: string,
): Promise<Uint8Array | undefined> {
  const [row] = await db.query<{ state: Uint8Array }>(
    'select state from doc_versions where room_id = $1 and id = $2',
    [roomId, versionId],
  )
  return row ? toBytes(row.state) : undefined
}

export async function pruneAutoVersions(db: SqlClient, roomId: string, keep: number): Promise<void> {
  await db.query(
    `delete from doc_versions where id in (
       select id from doc_versions where room_id = $1 and kind = 'auto'
        order by created_at desc, id desc offset $2)`,
    [roomId, keep],
  )
}
