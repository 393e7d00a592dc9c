/** Accounts in SQL: who owns a room, its members (invited by email), a user's rooms. */
import { randomUUID } from 'node:crypto'
import type { SqlClient } from './sqlClient'
import { toDate } from './sqlRows'
import type { MemberRole, RoomMember, UserRoom } from './storage'

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

export function memberRole(
  db: SqlClient,
  roomId: string,
  user: { id: string; email: string | null },
): Promise<MemberRole | undefined> {
  return db.transaction(async (tx) => {
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

export async function listMembers(db: SqlClient, roomId: string): Promise<RoomMember[]> {
  const rows = await db.query<MemberRow>(
    `select ${MEMBER_COLUMNS} from room_members where room_id = $1 order by invited_at`,
    [roomId],
  )
  return rows.map(toMember)
}

export async function addMember(
  db: SqlClient,
  roomId: string,
  email: string,
  role: Exclude<MemberRole, 'owner'>,
): Promise<RoomMember> {
  const [row] = await db.query<MemberRow>(
    `insert into room_members (id, room_id, email, role) values ($1, $2, $3, $4)
     on conflict (room_id, email) do update set role = excluded.role
     returning ${MEMBER_COLUMNS}`,
    [randomUUID(), roomId, email.toLowerCase(), role],
  )
  return toMember(row!)
}

export async function removeMember(
  db: SqlClient,
  roomId: string,
  memberId: string,
): Promise<RoomMember | undefined> {
  const [row] = await db.query<MemberRow>(
    `delete from room_members where room_id = $1 and id = $2 returning ${MEMBER_COLUMNS}`,
    [roomId, memberId],
  )
  return row ? toMember(row) : undefined
}

export async function roomsOf(db: SqlClient, userId: string): Promise<UserRoom[]> {
  const rows = await db.query<{
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
