/**
 * Which room uses which asset blob, in SQL (`asset_blobs`, `room_assets`). Attaching a blob to a
 * room and sweeping blobs no room uses both take a per-blob advisory lock and run the blob store's
 * write or delete inside that transaction, so a sweep can never delete bytes that an upload has
 * just attached to a room. Attaching also takes a per-room lock, so two uploads cannot both slip
 * under the room's quota.
 */

import { LockClass } from './lockClasses'
import type { SqlClient, SqlQueryable } from './sqlClient'
import type { AssetAttachment, AssetBlob, AssetIndex } from './storage'

/** Blobs deleted per sweep transaction. */
const SWEEP_BATCH = 200

interface BlobRow {
  sha256: string
  mime_type: string
  byte_size: string | number
}

const toBlob = (row: BlobRow): AssetBlob => ({
  sha256: row.sha256,
  mimeType: row.mime_type,
  byteSize: Number(row.byte_size),
})

async function lockBlob(tx: SqlQueryable, sha256: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [LockClass.blob, sha256])
}

async function usedBytes(tx: SqlQueryable, roomId: string): Promise<number> {
  const [row] = await tx.query<{ total: string | number | null }>(
    `select coalesce(sum(b.byte_size), 0) as total
       from room_assets r join asset_blobs b on b.sha256 = r.sha256
      where r.room_id = $1`,
    [roomId],
  )
  return Number(row?.total ?? 0)
}

export class SqlAssetIndex implements AssetIndex {
  constructor(private readonly db: SqlClient) {}

  attach(
    roomId: string,
    blob: AssetBlob,
    quotaBytes: number,
    persist: () => Promise<void>,
  ): Promise<AssetAttachment> {
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [LockClass.roomAssets, roomId])
      await lockBlob(tx, blob.sha256)
      const [already] = await tx.query<{ sha256: string }>(
        'select sha256 from room_assets where room_id = $1 and sha256 = $2',
        [roomId, blob.sha256],
      )
      const used = await usedBytes(tx, roomId)
      if (!already && used + blob.byteSize > quotaBytes) return { ok: false, usedBytes: used }
      await tx.query(
        `insert into asset_blobs (sha256, mime_type, byte_size) values ($1, $2, $3)
         on conflict (sha256) do nothing`,
        [blob.sha256, blob.mimeType, blob.byteSize],
      )
      await tx.query(
        'insert into room_assets (room_id, sha256) values ($1, $2) on conflict (room_id, sha256) do nothing',
        [roomId, blob.sha256],
      )
      // Under the blob's lock: a sweep cannot delete these bytes between here and commit.
      await persist()
      return { ok: true, usedBytes: already ? used : used + blob.byteSize }
    })
  }

  async find(roomId: string, sha256: string): Promise<AssetBlob | undefined> {
    const [row] = await this.db.query<BlobRow>(
      `select b.sha256, b.mime_type, b.byte_size
         from room_assets r join asset_blobs b on b.sha256 = r.sha256
        where r.room_id = $1 and r.sha256 = $2`,
      [roomId, sha256],
    )
    return row ? toBlob(row) : undefined
  }

  usage(roomId: string): Promise<number> {
    return usedBytes(this.db, roomId)
  }

  async sweep(remove: (sha256s: string[]) => Promise<void>): Promise<string[]> {
    const swept: string[] = []
    for (;;) {
      const batch = await this.db.transaction(async (tx) => {
        const candidates = await tx.query<{ sha256: string }>(
          `select b.sha256 from asset_blobs b
            where not exists (select 1 from room_assets r where r.sha256 = b.sha256)
            order by b.sha256 limit ${SWEEP_BATCH}`,
        )
        const orphans: string[] = []
        for (const { sha256 } of candidates) {
          await lockBlob(tx, sha256)
          const [deleted] = await tx.query<{ sha256: string }>(
            `delete from asset_blobs b where b.sha256 = $1
               and not exists (select 1 from room_assets r where r.sha256 = b.sha256)
             returning b.sha256`,
            [sha256],
          )
          if (deleted) orphans.push(deleted.sha256)
        }
        // Still under the locks: if deleting the bytes fails, the rows come back with the rollback.
        if (orphans.length > 0) await remove(orphans)
        return { orphans, more: candidates.length === SWEEP_BATCH }
      })
      swept.push(...batch.orphans)
      if (!batch.more) return swept
    }
  }
}
