/** Rooms and links: create a room, resolve a link. Bodies and replies: shared protocol/rooms.ts, links.ts. */
import {
  CreateRoomBody,
  type CreateRoomReply,
  encodeSeededRoom,
  type LinkInfoReply,
} from '@drawbridge/shared'
import { hashSecret, newOwnerKey } from '../rooms/capabilities'
import { defaultBoardTitle } from '../rooms/defaultTitle'
import type { ApiContext } from './context'
import { requestUser, requireLink } from './guards'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

export const roomRoutes: Route<ApiContext>[] = [
  {
    method: 'POST',
    pattern: /^\/api\/rooms$/,
    async handle(context, request, response) {
      const allowed = await context.limits.roomCreation.take(context.clientIp(request))
      if (!allowed.ok) {
        const seconds = String(Math.ceil(allowed.retryAfterMs / 1000))
        throw new HttpError(429, 'Too many new boards from this address; try again later.', {
          'retry-after': seconds,
        })
      }
      const user = await requestUser(context, request)
      const body = await readBody(request, CreateRoomBody, context.maxJsonBodyBytes)
      if (body.private && !user) throw new HttpError(401, 'Sign in to create a private board.')
      const title = body.title || defaultBoardTitle(new Date())
      const ownerKey = newOwnerKey()
      const room = await context.rooms.createRoom({
        title,
        ownerKeyHash: hashSecret(ownerKey),
        initialState: encodeSeededRoom(title),
        ownerId: user?.id ?? null,
        isPrivate: body.private ?? false,
      })
      const link = (id: string) => ({ id, url: `${context.publicUrl()}/r/${id}` })
      context.log.info({ roomId: room.roomId }, 'room created')
      sendJson(response, 201, {
        roomId: room.roomId,
        ownerKey,
        links: { edit: link(room.editLinkId), view: link(room.viewLinkId) },
      } satisfies CreateRoomReply)
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!)
      sendJson(response, 200, {
        roomId: grant.roomId,
        role: grant.effectiveRole,
        title: grant.title,
        private: grant.isPrivate,
        // Lets a signed-in owner's other devices manage the board without probing owner-only routes.
        owner: grant.user !== null && grant.ownerId === grant.user.id,
      } satisfies LinkInfoReply)
    },
  },
]
