/**
 * Accounts on the wire: a signed-in person's boards (`GET /api/me/rooms`) and a private board's
 * members (`GET` / `POST /api/rooms/<id>/members`; `DELETE …/members/<memberId>` answers 204).
 * Sign-in itself is Supabase's; requests carry its token as `Authorization: Bearer`.
 * Owns: these schemas. Must not touch: the network.
 */
import { z } from 'zod'
import { Moment } from './fields'
import { Role } from './links'

/** A person's part in a board: its owner, or a member with a link role. */
export const MemberRole = z.enum(['owner', ...Role.options])
export type MemberRole = z.infer<typeof MemberRole>

/** Longest email address, in characters. */
export const EMAIL_MAX = 320

/** One board of the signed-in person's list, most recently changed first. */
export const MyRoom = z.object({
  roomId: z.string(),
  title: z.string(),
  role: MemberRole,
  isPrivate: z.boolean(),
  updatedAt: Moment,
})
export type MyRoom = z.infer<typeof MyRoom>

export const MyRoomsReply = z.object({ rooms: z.array(MyRoom) })
export type MyRoomsReply = z.infer<typeof MyRoomsReply>

/** `POST /api/rooms/<id>/members` (owner): invite by email with a role. */
export const InviteBody = z.object({ email: z.email().max(EMAIL_MAX), role: Role }).strict()
export type InviteBody = z.input<typeof InviteBody>

/** A board's member: `userId` is null until the invited person signs in. */
export const Member = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  email: z.string(),
  role: MemberRole,
  invitedAt: Moment,
})
export type Member = z.infer<typeof Member>

export const MembersReply = z.object({ members: z.array(Member) })
export type MembersReply = z.infer<typeof MembersReply>
