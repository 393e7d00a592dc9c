/**
 * Rooms on the wire: create one (`POST /api/rooms`), its owner's view of it and changes to it
 * (`GET` / `PATCH /api/rooms/<id>`: name, privacy; `DELETE` answers 204). Owns: these schemas.
 * Must not touch: the network, links' own shapes (links.ts).
 */
import { z } from 'zod'
import { changeOf } from './fields'
import { LinkRef, ShareLink } from './links'

/** Longest board name, in characters (after trimming). */
export const TITLE_MAX = 200
const Title = z.string().trim().max(TITLE_MAX)

/** `POST /api/rooms`: an optional name (else the server names it after the day), private or not. */
export const CreateRoomBody = z.object({ title: Title.optional(), private: z.boolean().optional() }).strict()
export type CreateRoomBody = z.input<typeof CreateRoomBody>

/** 201: the room, its owner key (shown once: the device keeps it) and its two share links. */
export const CreateRoomReply = z.object({
  roomId: z.string(),
  ownerKey: z.string(),
  links: z.object({ edit: LinkRef, view: LinkRef }),
})
export type CreateRoomReply = z.infer<typeof CreateRoomReply>

/** `GET /api/rooms/<id>` (owner): the room and every share link it has had. */
export const RoomAdminReply = z.object({
  roomId: z.string(),
  title: z.string(),
  private: z.boolean(),
  links: z.array(ShareLink),
})
export type RoomAdminReply = z.infer<typeof RoomAdminReply>

/** `PATCH /api/rooms/<id>` (owner): a new name, privacy, or both. */
export const UpdateRoomBody = changeOf({ title: Title.optional(), private: z.boolean().optional() })
export type UpdateRoomBody = z.input<typeof UpdateRoomBody>

/** Its answer: the room as it is now (name and privacy absent if it was deleted meanwhile). */
export const UpdateRoomReply = z.object({
  roomId: z.string(),
  title: z.string().optional(),
  private: z.boolean().optional(),
})
export type UpdateRoomReply = z.infer<typeof UpdateRoomReply>
