/**
 * Version history in SQL (`doc_versions`): save (named ones within the board's quota), list
 * (newest first), read one, prune automatic ones.
 */
import { randomUUID } from 'node:crypto'
import { LockClass } from './lockClasses'
import type { SqlClient, SqlQueryable } from './sqlClient'
import { toBytes, toDate } from './sqlRows'
import type { NamedVersionSave, VersionKind, VersionStore, VersionSummary } from './storage'

/** Namespace for the per-room advisory lock around a quota check (see sqlAssets.ts for the others). */

interface VersionRow {
  id: string
  name: string | null
  kind: VersionKind
  actors: string[] | string
  created_at: Date | string
}

async function insertVersion(
  db: SqlQueryable,
  input: Parameters<VersionStore['save']>[0],
): Promise<VersionSummary> {
  const id = randomUUID()
  const [row] = await db.query<{ created_at: Date | string }>(
    `insert into doc_versions (id, room_id, name, kind, state, actors) values ($1, $2, $3, $4, $5, $6::text::jsonb)
     returning created_at`,
    [id, input.roomId, input.name, input.kind, input.state, JSON.stringify(input.actors)],
  )
  return { id, name: input.name, kind: input.kind, at: toDate(row!.created_at)!, actors: input.actors }
}

export class SqlVersionStore implements VersionStore {
  constructor(private readonly db: SqlClient) {}

  save(input: Parameters<VersionStore['save']>[0]): Promise<VersionSummary> {
    return insertVersion(this.db, input)
  }

  /**
   * Saves a named version unless the room's named versions would then hold more than `quotaBytes`
   * (automatic ones are bounded by count instead). Checked and written under a per-room lock, so two
   * saves at once cannot both slip under the quota.
   */
  saveNamed(input: Parameters<VersionStore['saveNamed']>[0], quotaBytes: number): Promise<NamedVersionSave> {
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [
        LockClass.roomVersions,
        input.roomId,
      ])
      const [row] = await tx.query<{ used: string | number }>(
        `select coalesce(sum(octet_length(state)), 0) as used from doc_versions where room_id = $1 and kind = 'named'`,
        [input.roomId],
      )
      const usedBytes = Number(row?.used ?? 0)
      if (usedBytes + input.state.byteLength > quotaBytes) return { ok: false, usedBytes }
      return { ok: true, version: await insertVersion(tx, { ...input, kind: 'named' }) }
    })
  }

  async list(roomId: string): Promise<VersionSummary[]> {
    const rows = await this.db.query<VersionRow>(
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

  async load(roomId: string, versionId: string): Promise<Uint8Array | undefined> {
    const [row] = await this.db.query<{ state: Uint8Array }>(
      'select state from doc_versions where room_id = $1 and id = $2',
      [roomId, versionId],
    )
    return row ? toBytes(row.state) : undefined
  }

  async pruneAuto(roomId: string, keep: number): Promise<void> {
    await this.db.query(
      `delete from doc_versions where id in (
         select id from doc_versions where room_id = $1 and kind = 'auto'
          order by created_at desc, id desc offset $2)`,
      [roomId, keep],
    )
  }
}
