/**
 * Accounts: what the client needs to offer sign-in, the signed-in user's boards, and a private
 * board's members (invited by email; removing one disconnects them at once). Bodies and replies:
 * shared protocol/appConfig.ts and accounts.ts.
 */
import {
  type ConfigReply,
  InviteBody,
  type Member,
  type MembersReply,
  type MyRoomsReply,
} from '@drawbridge/shared'
import type { RoomMember } from '../storage/storage'
import type { ApiContext } from './context'
import { isUuid, requestUser, requireOwner } from './guards'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

const present = (member: RoomMember): Member => ({
  id: member.id,
  userId: member.userId,
  email: member.email,
  role: member.role,
  invitedAt: member.invitedAt.toISOString(),
})

export const accountRoutes: Route<ApiContext>[] = [
  {
    method: 'GET',
    pattern: /^\/api\/config$/,
    async handle(context, _request, response) {
      // Limits the client checks before sending a file or a change (the server enforces them either way).
      sendJson(response, 200, {
        auth: context.publicAuth,
        tldrawLicenseKey: context.tldrawLicenseKey ?? null,
        limits: {
          maxAssetBytes: context.assets.limits.maxBytes,
          maxImportBytes: context.maxImportBytes,
          maxUpdateBytes: context.maxUpdateBytes,
        },
      } satisfies ConfigReply)
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/me\/rooms$/,
    async handle(context, request, response) {
      const user = await requestUser(context, request)
      if (!user) throw new HttpError(401, 'Sign in to see your boards.')
      const rooms = await context.rooms.roomsOf(user.id)
      sendJson(response, 200, {
        rooms: rooms.map((room) => ({
          roomId: room.roomId,
          title: room.title,
          role: room.role,
          isPrivate: room.isPrivate,
          updatedAt: room.updatedAt.toISOString(),
        })),
      } satisfies MyRoomsReply)
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/rooms\/([^/]+)\/members$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      const members = await context.rooms.listMembers(room.roomId)
      sendJson(response, 200, { members: members.map(present) } satisfies MembersReply)
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/rooms\/([^/]+)\/members$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      const { email, role } = await readBody(request, InviteBody, context.maxJsonBodyBytes)
      const member = await context.rooms.addMember(room.roomId, email, role)
      // Someone invited again with another role gets it on their open sockets at once.
      context.announce({ type: 'member-role-changed', roomId: room.roomId, email: member.email, role })
      sendJson(response, 201, present(member))
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/rooms\/([^/]+)\/members\/([^/]+)$/,
    async handle(context, request, response, [roomId, memberId]) {
      const room = await requireOwner(context, request, roomId!)
      const valid = isUuid(memberId!)
      const removed = valid ? await context.rooms.removeMember(room.roomId, memberId!) : undefined
      if (!removed) throw new HttpError(404, 'No such member.')
      context.announce({
        type: 'member-removed',
        roomId: room.roomId,
        userId: removed.userId,
        email: removed.email,
      })
      response.writeHead(204).end()
    },
  },
]
