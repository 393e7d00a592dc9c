/**
 * Rooms, their links and their members in SQL (`rooms`, `room_links`, `room_members` through
 * sqlMembers.ts). A link is stored by its hash, never by its id.
 */
import { createHash, randomUUID } from 'node:crypto'
import { newLinkId } from './linkIds'
import type { SqlClient } from './sqlClient'
import * as members from './sqlMembers'
import { toDate } from './sqlRows'
import type {
  CreatedRoom,
  LinkGrant,
  MemberRole,
  Role,
  RoomDirectory,
  RoomInfo,
  RoomLink,
  RoomMember,
  UserRoom,
} from './storage'

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

export class SqlRoomDirectory implements RoomDirectory {
  constructor(private readonly db: SqlClient) {}

  async createRoom(input: Parameters<RoomDirectory['createRoom']>[0]): Promise<CreatedRoom> {
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
}
