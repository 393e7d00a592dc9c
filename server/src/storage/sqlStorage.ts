/** The Storage interface implemented once in SQL, for PGlite and Postgres alike. */
import { createHash, randomUUID } from 'node:crypto'
import { newLinkId } from './linkIds'
import { SqlAssetIndex } from './sqlAssets'
import type { SqlClient, SqlQueryable } from './sqlClient'
import * as members from './sqlMembers'
import { toBytes, toDate } from './sqlRows'
import * as versions from './sqlVersions'
import type {
  CreatedRoom,
  FoldedDocument,
  LinkGrant,
  MemberRole,
  NamedVersionSave,
  Role,
  RoomInfo,
  RoomLink,
  RoomMember,
  Storage,
  StoredDocument,
  UpdateLogStats,
  UserRoom,
  VersionSummary,
} from './storage'

/** Namespace for per-room advisory locks (first half of the two-int key). */
const COMPACTION_LOCK_CLASS = 71_042

interface LinkRow {
  room_id: string
  role: Role
  title: string
  is_private: boolean
  owner_id: string | null
  expires_at: Date | string | null
  revoked_at: Date | string | null
  purpose: 'share' | 'agent'
}

interface RoomLinkRow {
  id: string
  role: Role
  created_at: Date | string
  expires_at: Date | string | null
  revoked_at: Date | string | null
}

const LINK_COLUMNS = 'id, role, created_at, expires_at, revoked_at'

function toRoomLink(row: RoomLinkRow): RoomLink {
  return {
    id: row.id,
    role: row.role,
    createdAt: toDate(row.created_at)!,
    expiresAt: toDate(row.expires_at),
    revokedAt: toDate(row.revoked_at),
  }
}

async function readDocument(db: SqlQueryable, roomId: string): Promise<StoredDocument> {
  const [snapshot] = await db.query<{ state: Uint8Array }>(
    'select state from doc_snapshots where room_id = $1',
    [roomId],
  )
  // Every remaining row: compaction deletes exactly the rows it folded, so a row that committed
  // late with a lower id than the snapshot's newest is still here and still applied.
  const rows = await db.query<{ id: string | number | bigint; update: Uint8Array }>(
    'select id, update from doc_updates where room_id = $1 order by id',
    [roomId],
  )
  return {
    snapshot: snapshot ? toBytes(snapshot.state) : null,
    updates: rows.map((row) => ({ id: Number(row.id), update: toBytes(row.update) })),
  }
}

/** Copies rows into the quarantine table (the caller deletes them from the log in the same tx). */
async function quarantine(tx: SqlQueryable, roomId: string, rows: Array<{ id: number; error: string }>) {
  for (const row of rows) {
    await tx.query(
      `insert into doc_update_quarantine (id, room_id, update, error, created_at)
       select id, room_id, update, $3, created_at from doc_updates where id = $1 and room_id = $2
       on conflict (id) do nothing`,
      [row.id, roomId, row.error.slice(0, 500)],
    )
  }
}

export class SqlStorage implements Storage {
  /** The SQL client, for stores of other concerns that keep their own tables (the AI queue). */
  constructor(readonly db: SqlClient) {}

  get kind() {
    return this.db.kind
  }

  private assetIndex: SqlAssetIndex | undefined
  get assets(): SqlAssetIndex {
    this.assetIndex ??= new SqlAssetIndex(this.db)
    return this.assetIndex
  }

  async createRoom(input: {
    title: string
    ownerKeyHash: string
    initialState: Uint8Array
    ownerId?: string | null
    isPrivate?: boolean
  }): Promise<CreatedRoom> {
    const roomId = randomUUID()
    const editLinkId = newLinkId()
    const viewLinkId = newLinkId()
    await this.db.transaction(async (tx) => {
      await tx.query(
        'insert into rooms (id, title, owner_key_hash, owner_id, is_private) values ($1, $2, $3, $4, $5)',
        [roomId, input.title, input.ownerKeyHash, input.ownerId ?? null, input.isPrivate ?? false],
      )
      await tx.query(
        `insert into room_links (id, room_id, role) values ($1, $2, 'editor'), ($3, $2, 'viewer')`,
        [editLinkId, roomId, viewLinkId],
      )
      await tx.query('insert into doc_updates (room_id, update) values ($1, $2)', [
        roomId,
        input.initialState,
      ])
    })
    return { roomId, editLinkId, viewLinkId }
  }

  async findLink(linkId: string): Promise<LinkGrant | undefined> {
    const [row] = await this.db.query<LinkRow>(
      `select l.room_id, l.role, l.purpose, r.title, r.is_private, r.owner_id, l.expires_at, l.revoked_at
         from room_links l join rooms r on r.id = l.room_id
        where l.id_hash = $1`,
      [createHash('sha256').update(linkId, 'utf8').digest('hex')],
    )
    if (!row) return undefined
    return {
      roomId: row.room_id,
      role: row.role,
      title: row.title,
      isPrivate: row.is_private,
      ownerId: row.owner_id,
      expiresAt: toDate(row.expires_at),
      revokedAt: toDate(row.revoked_at),
      purpose: row.purpose,
    }
  }

  async createAgentLink(roomId: string, expiresAt: Date, role: Role = 'editor'): Promise<string> {
    const linkId = newLinkId()
    await this.db.query(
      `insert into room_links (id, room_id, role, purpose, expires_at) values ($1, $2, $4, 'agent', $3)`,
      [linkId, roomId, expiresAt, role],
    )
    // Expired agent links are of no use to anyone: drop them as new ones are issued.
    await this.db.query(
      `delete from room_links where room_id = $1 and purpose = 'agent' and expires_at < now()`,
      [roomId],
    )
    return linkId
  }

  async revokeAgentLink(linkId: string): Promise<void> {
    await this.db.query(`delete from room_links where id_hash = $1 and purpose = 'agent'`, [
      createHash('sha256').update(linkId, 'utf8').digest('hex'),
    ])
  }

  async getRoom(roomId: string): Promise<RoomInfo | undefined> {
    const [row] = await this.db.query<{
      id: string
      title: string
      owner_key_hash: string
      owner_id: string | null
      is_private: boolean
    }>('select id, title, owner_key_hash, owner_id, is_private from rooms where id = $1', [roomId])
    return row
      ? {
          roomId: row.id,
          title: row.title,
          ownerKeyHash: row.owner_key_hash,
          ownerId: row.owner_id,
          isPrivate: row.is_private,
        }
      : undefined
  }

  async updateRoom(roomId: string, change: { title?: string; isPrivate?: boolean }): Promise<void> {
    await this.db.query(
      `update rooms set title = coalesce($2, title), is_private = coalesce($3, is_private), updated_at = now()
        where id = $1`,
      [roomId, change.title ?? null, change.isPrivate ?? null],
    )
  }

  memberRole(roomId: string, user: { id: string; email: string | null }): Promise<MemberRole | undefined> {
    return members.memberRole(this.db, roomId, user)
  }

  listMembers(roomId: string): Promise<RoomMember[]> {
    return members.listMembers(this.db, roomId)
  }

  addMember(roomId: string, email: string, role: Exclude<MemberRole, 'owner'>): Promise<RoomMember> {
    return members.addMember(this.db, roomId, email, role)
  }

  removeMember(roomId: string, memberId: string): Promise<RoomMember | undefined> {
    return members.removeMember(this.db, roomId, memberId)
  }

  roomsOf(userId: string): Promise<UserRoom[]> {
    return members.roomsOf(this.db, userId)
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.db.query('delete from rooms where id = $1', [roomId])
  }

  async listLinks(roomId: string): Promise<RoomLink[]> {
    const rows = await this.db.query<RoomLinkRow>(
      `select ${LINK_COLUMNS} from room_links where room_id = $1 and purpose = 'share'
        order by created_at, role`,
      [roomId],
    )
    return rows.map(toRoomLink)
  }

  rotateLink(roomId: string, linkId: string): Promise<RoomLink | undefined> {
    return this.db.transaction(async (tx) => {
      const [old] = await tx.query<RoomLinkRow>(
        `update room_links set revoked_at = now() where id = $1 and room_id = $2 and revoked_at is null
         returning ${LINK_COLUMNS}`,
        [linkId, roomId],
      )
      if (!old) return undefined
      const [fresh] = await tx.query<RoomLinkRow>(
        `insert into room_links (id, room_id, role, expires_at) values ($1, $2, $3, $4) returning ${LINK_COLUMNS}`,
        [newLinkId(), roomId, old.role, old.expires_at],
      )
      return toRoomLink(fresh!)
    })
  }

  async updateLink(
    roomId: string,
    linkId: string,
    change: { role?: Role; expiresAt?: Date | null; revoked?: boolean },
  ): Promise<RoomLink | undefined> {
    const [row] = await this.db.query<RoomLinkRow>(
      `update room_links set
         role = coalesce($3, role),
         expires_at = case when $4 then $5::timestamptz else expires_at end,
         revoked_at = case when $6 then coalesce(revoked_at, now()) else revoked_at end
       where id = $1 and room_id = $2 and revoked_at is null
       returning ${LINK_COLUMNS}`,
      [
        linkId,
        roomId,
        change.role ?? null,
        change.expiresAt !== undefined,
        change.expiresAt ? change.expiresAt.toISOString() : null,
        change.revoked === true,
      ],
    )
    return row ? toRoomLink(row) : undefined
  }

  loadDocument(roomId: string): Promise<StoredDocument> {
    return readDocument(this.db, roomId)
  }

  async appendUpdate(roomId: string, update: Uint8Array): Promise<void> {
    await this.db.query('insert into doc_updates (room_id, update) values ($1, $2)', [roomId, update])
  }

  async updateLogStats(roomId: string): Promise<UpdateLogStats> {
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
        [COMPACTION_LOCK_CLASS, roomId],
      )
      if (!lock?.locked) return false
      const document = await readDocument(tx, roomId)
      if (document.updates.length === 0) return true
      const { state, corrupt } = fold(document)
      await quarantine(tx, roomId, corrupt)
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

  async quarantineUpdates(roomId: string, rows: Array<{ id: number; error: string }>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await quarantine(tx, roomId, rows)
      for (const row of rows)
        await tx.query('delete from doc_updates where id = $1 and room_id = $2', [row.id, roomId])
    })
  }

  saveVersion(input: Parameters<Storage['saveVersion']>[0]): Promise<VersionSummary> {
    return versions.saveVersion(this.db, input)
  }

  saveNamedVersion(
    input: Parameters<Storage['saveNamedVersion']>[0],
    quotaBytes: number,
  ): Promise<NamedVersionSave> {
    return versions.saveNamedVersion(this.db, input, quotaBytes)
  }

  listVersions(roomId: string): Promise<VersionSummary[]> {
    return versions.listVersions(this.db, roomId)
  }

  loadVersion(roomId: string, versionId: string): Promise<Uint8Array | undefined> {
    return versions.loadVersion(this.db, roomId, versionId)
  }

  pruneAutoVersions(roomId: string, keep: number): Promise<void> {
    return versions.pruneAutoVersions(this.db, roomId, keep)
  }

  async ping(): Promise<void> {
    await this.db.query('select 1')
  }

  close(): Promise<void> {
    return this.db.close()
  }
}
