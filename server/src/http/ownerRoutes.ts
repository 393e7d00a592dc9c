/**
 * What a room's owner can do (owner key in `X-Owner-Key`): see the links, rotate, revoke, change a
 * link's role or expiry, rename and delete the room. Every change reaches live sockets at once.
 */
import type { IncomingMessage } from 'node:http'
import { openMeta } from '@drawbridge/shared'
import { z } from 'zod'
import { secretMatches } from '../rooms/capabilities'
import type { RoomInfo, RoomLink } from '../storage/storage'
import type { ApiContext } from './api'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

const RenameBody = z.object({ title: z.string().trim().max(200) }).strict()
const UpdateLinkBody = z
  .object({
    role: z.enum(['editor', 'viewer']).optional(),
    expiresAt: z.iso.datetime().nullable().optional(),
  })
  .strict()
  .refine((body) => body.role !== undefined || body.expiresAt !== undefined, 'nothing to change')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Origin of the owner's own edits to the doc (the title): persisted and broadcast. */
const OWNER_ORIGIN = Object.freeze({ owner: true })

async function requireOwner(
  context: ApiContext,
  request: IncomingMessage,
  roomId: string,
): Promise<RoomInfo> {
  const key = request.headers['x-owner-key']
  const room = UUID.test(roomId) ? await context.storage.getRoom(roomId) : undefined
  // The same answer for "no such room" and "wrong key": neither tells a guesser anything.
  if (!room || typeof key !== 'string' || !secretMatches(key, room.ownerKeyHash)) {
    throw new HttpError(403, 'Only the owner of this board can do that.')
  }
  return room
}

function presentLink(context: ApiContext, link: RoomLink) {
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
      const links = await context.storage.listLinks(room.roomId)
      sendJson(response, 200, {
        roomId: room.roomId,
        title: room.title,
        links: links.map((link) => presentLink(context, link)),
      })
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/rooms\/([^/]+)$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      const { title } = await readBody(request, RenameBody, context.maxJsonBodyBytes)
      await context.storage.renameRoom(room.roomId, title)
      await context.registry.withRoom(room.roomId, (live) => {
        live.doc.transact(() => openMeta(live.doc).set('title', title), OWNER_ORIGIN)
      })
      sendJson(response, 200, { roomId: room.roomId, title })
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/rooms\/([^/]+)$/,
    async handle(context, request, response, [roomId]) {
      const room = await requireOwner(context, request, roomId!)
      await context.storage.deleteRoom(room.roomId)
      context.announce({ type: 'room-deleted', roomId: room.roomId })
      context.log.info({ roomId: room.roomId }, 'room deleted')
      response.writeHead(204).end()
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/rooms\/([^/]+)\/links\/([^/]+)\/rotate$/,
    async handle(context, request, response, [roomId, linkId]) {
      const room = await requireOwner(context, request, roomId!)
      const fresh = (await context.storage.rotateLink(room.roomId, linkId!)) ?? notFound()
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
      const link = (await context.storage.updateLink(room.roomId, linkId!, change)) ?? notFound()
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
      ;(await context.storage.updateLink(room.roomId, linkId!, { revoked: true })) ?? notFound()
      context.announce({ type: 'link-revoked', linkId: linkId! })
      response.writeHead(204).end()
    },
  },
]
