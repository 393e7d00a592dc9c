/**
 * What a room's owner can do (owner key in `X-Owner-Key`): see the links, rotate, revoke, change a
 * link's role or expiry, rename and delete the room. Every change reaches live sockets at once.
 * Bodies and replies: shared protocol/rooms.ts and links.ts.
 */
import {
  openMeta,
  type RoomAdminReply,
  type ShareLink,
  UpdateLinkBody,
  UpdateRoomBody,
  type UpdateRoomReply,
} from '@drawbridge/shared'
import type { RoomLink } from '../storage/storage'
import { Origins } from '../sync/transactionOrigin'
import type { ApiContext } from './context'
import { requireOwner } from './guards'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

function presentLink(context: ApiContext, link: RoomLink): ShareLink {
  return {
    id: link.id,
    url: `${context.publicUrl()}/r/${link.id}`,
    role: link.role,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt?.toISOString() ?? null,
    revokedAt: link.revokedAt?.toISOString() ?? null,
  }
}

function notFound(): never {
  throw new HttpError(404, 'No such active link in this room.')
}

export const ownerRoutes: Route<ApiContext>[] = [
  {
    method: 'GET',
    pattern: /^\/api\/rooms\/([^/]+)$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      const links = await context.rooms.listLinks(room.roomId)
      sendJson(response, 200, {
        roomId: room.roomId,
        title: room.title,
        private: room.isPrivate,
        links: links.map((link) => presentLink(context, link)),
      } satisfies RoomAdminReply)
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/rooms\/([^/]+)$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      const body = await readBody(request, UpdateRoomBody, context.maxJsonBodyBytes)
      if (body.private && !room.ownerId) {
        throw new HttpError(409, 'Only a board owned by a signed-in account can be private.')
      }
      await context.rooms.updateRoom(room.roomId, { title: body.title, isPrivate: body.private })
      if (body.private !== undefined && body.private !== room.isPrivate) {
        context.announce({ type: 'room-privacy-changed', roomId: room.roomId, isPrivate: body.private })
      }
      if (body.title !== undefined) {
        const title = body.title
        await context.registry.withRoom(room.roomId, (live) => {
          live.doc.transact(() => openMeta(live.doc).set('title', title), Origins.ownerEdit)
        })
      }
      const updated = await context.rooms.getRoom(room.roomId)
      sendJson(response, 200, {
        roomId: room.roomId,
        title: updated?.title,
        private: updated?.isPrivate,
      } satisfies UpdateRoomReply)
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/rooms\/([^/]+)$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      await context.rooms.deleteRoom(room.roomId)
      context.announce({ type: 'room-deleted', roomId: room.roomId })
      context.log.info({ roomId: room.roomId }, 'room deleted')
      // Its files go with it (those no other board uses); a failure is retried by the next sweep.
      await context.assets
        .sweep()
        .catch((error: unknown) =>
          context.log.warn({ err: error, roomId: room.roomId }, 'asset sweep failed'),
        )
      response.writeHead(204).end()
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/rooms\/([^/]+)\/links\/([^/]+)\/rotate$/,
    async handle(context, request, response, [roomId, linkId]) {
      const room = await requireOwner(context, request, roomId!)
      const fresh = (await context.rooms.rotateLink(room.roomId, linkId!)) ?? notFound()
      context.announce({ type: 'link-revoked', linkId: linkId! })
      sendJson(response, 200, presentLink(context, fresh))
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/rooms\/([^/]+)\/links\/([^/]+)$/,
    async handle(context, request, response, [roomId, linkId]) {
      const room = await requireOwner(context, request, roomId!)
      const body = await readBody(request, UpdateLinkBody, context.maxJsonBodyBytes)
      const change = {
        role: body.role,
        expiresAt:
          body.expiresAt === undefined
            ? undefined
            : body.expiresAt === null
              ? null
              : new Date(body.expiresAt),
      }
      const link = (await context.rooms.updateLink(room.roomId, linkId!, change)) ?? notFound()
      context.announce({
        type: 'link-updated',
        linkId: link.id,
        role: link.role,
        expiresAt: link.expiresAt?.toISOString() ?? null,
      })
      sendJson(response, 200, presentLink(context, link))
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/rooms\/([^/]+)\/links\/([^/]+)$/,
    async handle(context, request, response, [roomId, linkId]) {
      const room = await requireOwner(context, request, roomId!)
      ;(await context.rooms.updateLink(room.roomId, linkId!, { revoked: true })) ?? notFound()
      context.announce({ type: 'link-revoked', linkId: linkId! })
      response.writeHead(204).end()
    },
  },
]
