/**
 * What a board's owner can do, over the API, with the owner key this device keeps (and the
 * account): the room and its links, rename, privacy, delete, rotate / revoke / change a link, and
 * a private board's members. Bodies and replies are the shared contracts (`@drawbridge/shared`,
 * protocol/rooms.ts, links.ts, accounts.ts).
 */
import {
  type Contract,
  type InviteBody,
  Member,
  MembersReply,
  OWNER_KEY_HEADER,
  RoomAdminReply,
  ShareLink,
  type UpdateLinkBody,
  type UpdateRoomBody,
  UpdateRoomReply,
} from '@drawbridge/shared'
import { authHeaders } from '../account/session'
import { expectSuccess, readReply } from '../app/api'

function send(ownerKey: string, path: string, method: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method,
    headers: { 'content-type': 'application/json', [OWNER_KEY_HEADER]: ownerKey, ...authHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function call<T>(contract: Contract<T>, ...request: Parameters<typeof send>): Promise<T> {
  return readReply(await send(...request), contract)
}

/** A change answered by 204 (or whose answer is not needed). */
async function act(...request: Parameters<typeof send>): Promise<void> {
  await expectSuccess(await send(...request))
}

const room = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`
const link = (roomId: string, linkId: string) => `${room(roomId)}/links/${encodeURIComponent(linkId)}`

export const ownerApi = {
  room: (key: string, roomId: string) => call(RoomAdminReply, key, room(roomId), 'GET'),
  rename: (key: string, roomId: string, title: string) =>
    call(UpdateRoomReply, key, room(roomId), 'PATCH', { title } satisfies UpdateRoomBody),
  setPrivate: (key: string, roomId: string, isPrivate: boolean) =>
    call(UpdateRoomReply, key, room(roomId), 'PATCH', { private: isPrivate } satisfies UpdateRoomBody),
  deleteRoom: (key: string, roomId: string) => act(key, room(roomId), 'DELETE'),
  rotate: (key: string, roomId: string, linkId: string) =>
    call(ShareLink, key, `${link(roomId, linkId)}/rotate`, 'POST'),
  revoke: (key: string, roomId: string, linkId: string) => act(key, link(roomId, linkId), 'DELETE'),
  update: (key: string, roomId: string, linkId: string, change: UpdateLinkBody) =>
    call(ShareLink, key, link(roomId, linkId), 'PATCH', change),
  members: async (key: string, roomId: string) =>
    (await call(MembersReply, key, `${room(roomId)}/members`, 'GET')).members,
  invite: (key: string, roomId: string, invite: InviteBody) =>
    call(Member, key, `${room(roomId)}/members`, 'POST', invite),
  removeMember: (key: string, roomId: string, memberId: string) =>
    act(key, `${room(roomId)}/members/${encodeURIComponent(memberId)}`, 'DELETE'),
}
