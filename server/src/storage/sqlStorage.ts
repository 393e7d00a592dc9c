/** The Storage interface implemented once in SQL, for PGlite and Postgres alike. */
import { createHash, randomUUID } from 'node:crypto'
import { newLinkId } from '../rooms/capabilities'
import type { SqlClient, SqlQueryable } from './sqlClient'
import type {
  CreatedRoom,
  FoldedDocument,
  LinkGrant,
  MemberRole,
  Role,
  RoomInfo,
  RoomLink,
  RoomMember,
  Storage,
  StoredDocument,
  UpdateLogStats,
  UserRoom,
  VersionKind,
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
}

interface VersionRow {
  id: string
  name: string | null
  kind: VersionKind
  actors: string[] | string
  created_at: Date | string
}

interface RoomLinkRow {
  id: string
  role: Role
  created_at: Date | string
  expires_at: Date | string | null
  revoked_at: Date | string | null
}

const LINK_COLUMNS = 'id, role, created_at, expires_at, revoked_at'

interface MemberRow {
  id: string
  user_id: string | null
  email: string
  role: MemberRole
  invited_at: Date | string
}

const MEMBER_COLUMNS = 'id, user_id, email, role, invited_at'

function toMember(row: MemberRow): RoomMember {
  return {
    id: row.id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    invitedAt: toDate(row.invited_at)!,
  }
}

function toRoomLink(row: RoomLinkRow): RoomLink {
  return {
    id: row.id,
    role: row.role,
    createdAt: toDate(row.created_at)!,
    expiresAt: toDate(row.expires_at),
    revokedAt: toDate(row.revoked_at),
  }
}

const toDate = (value: Date | string | null): Date | null =>
  value === null ? null : value instanceof Date ? value : new Date(value)

const toBytes = (value: Uint8Array): Uint8Array =>
  // Node Buffers from postgres.js share a pool; copy so Yjs never sees unrelated bytes.
  new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))

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
  constructor(private readonly db: SqlClient) {}

  get kind() {
    return this.db.kind
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
      `select l.room_id, l.role, r.title, r.is_private, r.owner_id, l.expires_at, l.revoked_at
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
    }
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
    return this.db.transaction(async (tx) => {
      const [room] = await tx.query<{ owner_id: string | null }>('select owner_id from rooms where id = $1', [
        roomId,
      ])
      if (room?.owner_id === user.id) return 'owner'
      if (user.email) {
        await tx.query(
          'update room_members set user_id = $3 where room_id = $1 and user_id is null and email = $2',
          [roomId, user.email, user.id],
        )
      }
      const [member] = await tx.query<{ role: MemberRole }>(
        'select role from room_members where room_id = $1 and user_id = $2',
        [roomId, user.id],
      )
      return member?.role
    })
  }

  async listMembers(roomId: string): Promise<RoomMember[]> {
    const rows = await this.db.query<MemberRow>(
      `select ${MEMBER_COLUMNS} from room_members where room_id = $1 order by invited_at`,
      [roomId],
    )
    return rows.map(toMember)
  }

  async addMember(roomId: string, email: string, role: Exclude<MemberRole, 'owner'>): Promise<RoomMember> {
    const [row] = await this.db.query<MemberRow>(
      `insert into room_members (id, room_id, email, role) values ($1, $2, $3, $4)
       on conflict (room_id, email) do update set role = excluded.role
       returning ${MEMBER_COLUMNS}`,
      [randomUUID(), roomId, email.toLowerCase(), role],
    )
    return toMember(row!)
  }

  async removeMember(roomId: string, memberId: string): Promise<RoomMember | undefined> {
    const [row] = await this.db.query<MemberRow>(
      `delete from room_members where room_id = $1 and id = $2 returning ${MEMBER_COLUMNS}`,
      [roomId, memberId],
    )
    return row ? toMember(row) : undefined
  }

  async roomsOf(userId: string): Promise<UserRoom[]> {
    const rows = await this.db.query<{
      id: string
      title: string
      role: MemberRole
      is_private: boolean
      updated_at: Date | string
    }>(
      `select r.id, r.title, 'owner' as role, r.is_private, r.updated_at from rooms r where r.owner_id = $1
       union all
       select r.id, r.title, m.role, r.is_private, r.updated_at
         from room_members m join rooms r on r.id = m.room_id
        where m.user_id = $1 and (r.owner_id is null or r.owner_id <> $1)
       order by updated_at desc limit 500`,
      [userId],
    )
    return rows.map((row) => ({
      roomId: row.id,
      title: row.title,
      role: row.role,
      isPrivate: row.is_private,
      updatedAt: toDate(row.updated_at)!,
    }))
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.db.query('delete from rooms where id = $1', [roomId])
  }

  async listLinks(roomId: string): Promise<RoomLink[]> {
    const rows = await this.db.query<RoomLinkRow>(
      `select ${LINK_COLUMNS} from room_links where room_id = $1 order by created_at, role`,
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

  async saveVersion(input: {
    roomId: string
    name: string | null
    kind: VersionKind
    state: Uint8Array
    actors: string[]
  }): Promise<VersionSummary> {
    const id = randomUUID()
    const [row] = await this.db.query<{ created_at: Date | string }>(
      `insert into doc_versions (id, room_id, name, kind, state, actors) values ($1, $2, $3, $4, $5, $6::jsonb)
       returning created_at`,
      [id, input.roomId, input.name, input.kind, input.state, JSON.stringify(input.actors)],
    )
    return { id, name: input.name, kind: input.kind, at: toDate(row!.created_at)!, actors: input.actors }
  }

  async listVersions(roomId: string): Promise<VersionSummary[]> {
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

  async loadVersion(roomId: string, versionId: string): Promise<Uint8Array | undefined> {
    const [row] = await this.db.query<{ state: Uint8Array }>(
      'select state from doc_versions where room_id = $1 and id = $2',
      [roomId, versionId],
    )
    return row ? toBytes(row.state) : undefined
  }

  async pruneAutoVersions(roomId: string, keep: number): Promise<void> {
    await this.db.query(
      `delete from doc_versions where id in (
         select id from doc_versions where room_id = $1 and kind = 'auto'
          order by created_at desc, id desc offset $2)`,
      [roomId, keep],
    )
  }

  async ping(): Promise<void> {
    await this.db.query('select 1')
  }

  close(): Promise<void> {
    return this.db.close()
  }
}
