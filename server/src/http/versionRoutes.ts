/**
 * Version history: list, save a named version, read one (for a read-only preview), restore one as
 * a new change computed record by record against the live doc.
 */
import { diffRecords, RECORDS_KEY, writeRecords } from '@drawbridge/shared'
import * as Y from 'yjs'
import { z } from 'zod'
import { readBoardRecords, unreadableRecordIndexes } from '../persistence/readBoard'
import type { VersionSummary } from '../storage/storage'
import { type ApiContext, isUuid, requireLink } from './api'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

const SaveVersionBody = z.object({ name: z.string().trim().min(1).max(200) }).strict()
const RestoreBody = z.object({ by: z.string().trim().max(64).optional() }).strict()

/** Origin of a server-side restore: persisted and broadcast like a client's change. */
const RESTORE_ORIGIN = Object.freeze({ restore: true })

function present(version: VersionSummary) {
  return {
    id: version.id,
    name: version.name,
    kind: version.kind,
    at: version.at.toISOString(),
    actors: version.actors,
  }
}

async function loadVersionState(context: ApiContext, roomId: string, versionId: string): Promise<Uint8Array> {
  const state = isUuid(versionId) ? await context.storage.loadVersion(roomId, versionId) : undefined
  if (!state) throw new HttpError(404, 'No such version.')
  return state
}

export const versionRoutes: Route<ApiContext>[] = [
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)\/versions$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!)
      const versions = await context.storage.listVersions(grant.roomId)
      sendJson(response, 200, { versions: versions.map(present) })
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/links\/([^/]+)\/versions$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!, 'editor')
      const { name } = await readBody(request, SaveVersionBody, context.maxJsonBodyBytes)
      const version = await context.registry.withRoom(grant.roomId, (room) =>
        context.storage.saveVersion({
          roomId: grant.roomId,
          name,
          kind: 'named',
          state: Y.encodeStateAsUpdate(room.doc),
          actors: room.activeNames(),
        }),
      )
      sendJson(response, 201, present(version))
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)\/versions\/([^/]+)$/,
    async handle(context, request, response, [linkId, versionId]) {
      const grant = await requireLink(context, request, linkId!)
      const doc = new Y.Doc()
      Y.applyUpdate(doc, await loadVersionState(context, grant.roomId, versionId!))
      const records = [...readBoardRecords(doc, context.log).values()]
      doc.destroy()
      sendJson(response, 200, { records })
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/links\/([^/]+)\/versions\/([^/]+)\/restore$/,
    async handle(context, request, response, [linkId, versionId]) {
      const grant = await requireLink(context, request, linkId!, 'editor')
      const { by } = await readBody(request, RestoreBody, context.maxJsonBodyBytes)
      const target = new Y.Doc()
      Y.applyUpdate(target, await loadVersionState(context, grant.roomId, versionId!))
      const changes = await context.registry.withRoom(grant.roomId, async (room) => {
        // Keep the board as it was, so a restore can itself be undone from the history.
        await context.storage.saveVersion({
          roomId: grant.roomId,
          name: 'Before restore',
          kind: 'named',
          state: Y.encodeStateAsUpdate(room.doc),
          actors: by ? [by] : room.activeNames(),
        })
        const diff = diffRecords(
          readBoardRecords(room.doc, context.log),
          readBoardRecords(target, context.log),
        )
        // Entries no reader can use (written past an older server's checks) are not in any version.
        const unreadable = unreadableRecordIndexes(room.doc)
        room.doc.transact(() => {
          const array = room.doc.getArray(RECORDS_KEY)
          for (const index of unreadable.reverse()) array.delete(index, 1)
          writeRecords(room.doc, diff, RESTORE_ORIGIN)
        }, RESTORE_ORIGIN)
        return diff
      })
      target.destroy()
      context.log.info(
        { roomId: grant.roomId, versionId, put: changes.put.length, removed: changes.remove.length },
        'version restored',
      )
      sendJson(response, 200, {
        restored: versionId,
        put: changes.put.length,
        removed: changes.remove.length,
      })
    },
  },
]
