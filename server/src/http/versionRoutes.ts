/**
 * Version history: list, save a named version, read one (for a read-only preview), restore one as
 * a new change computed record by record against the live doc. Saving (and restoring, which saves
 * "Before restore") is rate-limited per board and per IP (429 + Retry-After); named versions share
 * a per-board quota (507). Bodies and replies: shared protocol/versions.ts.
 */

import type { IncomingMessage } from 'node:http'
import {
  diffRecords,
  MAX_SHAPES_PER_PAGE,
  pageOverLimit,
  RECORDS_KEY,
  RestoreBody,
  type RestoreReply,
  SaveVersionBody,
  type Version,
  type VersionRecordsReply,
  type VersionsReply,
  writeRecords,
} from '@drawbridge/shared'
import * as Y from 'yjs'
import { formatBytes } from '../assets/assets'
import { readBoardRecords, unreadableRecordIndexes } from '../persistence/readBoard'
import type { VersionSummary } from '../storage/storage'
import { Origins } from '../sync/transactionOrigin'
import type { ApiContext } from './context'
import { isUuid, requireLink } from './guards'
import { HttpError, readBody, sendJson } from './json'
import type { Route } from './router'

function present(version: VersionSummary): Version {
  return {
    id: version.id,
    name: version.name,
    kind: version.kind,
    at: version.at.toISOString(),
    actors: version.actors,
  }
}

async function loadVersionState(context: ApiContext, roomId: string, versionId: string): Promise<Uint8Array> {
  const state = isUuid(versionId) ? await context.versions.load(roomId, versionId) : undefined
  if (!state) throw new HttpError(404, 'No such version.')
  return state
}

/** Refuses (429 + Retry-After) a save or restore past the board's or the address's rate. */
async function takeVersionSave(context: ApiContext, request: IncomingMessage, roomId: string): Promise<void> {
  const { namedVersionsPerIp, namedVersionsPerRoom } = context.limits
  for (const [limiter, key, who] of [
    [namedVersionsPerIp, context.clientIp(request), 'from your address'],
    [namedVersionsPerRoom, roomId, 'on this board'],
  ] as const) {
    const taken = await limiter.take(key)
    if (!taken.ok) {
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000))
      throw new HttpError(429, `Too many versions saved ${who}: try again in ${seconds} s.`, {
        'retry-after': String(seconds),
      })
    }
  }
}

export const versionRoutes: Route<ApiContext>[] = [
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)\/versions$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!)
      const versions = await context.versions.list(grant.roomId)
      sendJson(response, 200, { versions: versions.map(present) } satisfies VersionsReply)
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/links\/([^/]+)\/versions$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!, 'editor')
      const { name } = await readBody(request, SaveVersionBody, context.maxJsonBodyBytes)
      await takeVersionSave(context, request, grant.roomId)
      const quota = context.versionQuotaBytes
      const saved = await context.registry.withRoom(grant.roomId, async (room) => {
        const state = Y.encodeStateAsUpdate(room.doc)
        const result = await context.versions.saveNamed(
          { roomId: grant.roomId, name, state, actors: room.activeNames() },
          quota,
        )
        return { result, bytes: state.byteLength }
      })
      if (!saved.result.ok) {
        throw new HttpError(
          507,
          `This board's saved versions use ${formatBytes(saved.result.usedBytes)} of its ${formatBytes(quota)}; ` +
            `this version (${formatBytes(saved.bytes)}) does not fit. Automatic versions are still kept.`,
        )
      }
      sendJson(response, 201, present(saved.result.version))
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
      sendJson(response, 200, { records } satisfies VersionRecordsReply)
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
      // A version past the shape limit (saved before it existed) would freeze the board for people.
      const over = pageOverLimit([], readBoardRecords(target, context.log))
      if (over) {
        target.destroy()
        const n = (value: number) => value.toLocaleString('en-US')
        throw new HttpError(
          422,
          `This version cannot be restored: one of its pages holds ${n(over.adding)} shapes, and a page may hold at most ${n(MAX_SHAPES_PER_PAGE)}.`,
        )
      }
      await takeVersionSave(context, request, grant.roomId)
      const changes = await context.registry.withRoom(grant.roomId, async (room) => {
        // Keep the board as it was, so a restore can itself be undone from the history: named,
        // or automatic (kept by count, not quota) when the board's named versions are full.
        const before = {
          roomId: grant.roomId,
          name: 'Before restore',
          state: Y.encodeStateAsUpdate(room.doc),
          actors: by ? [by] : room.activeNames(),
        }
        const named = await context.versions.saveNamed(before, context.versionQuotaBytes)
        if (!named.ok) await context.versions.save({ ...before, kind: 'auto' })
        const diff = diffRecords(
          readBoardRecords(room.doc, context.log),
          readBoardRecords(target, context.log),
        )
        // Entries no reader can use (written past an older server's checks) are not in any version.
        const unreadable = unreadableRecordIndexes(room.doc)
        room.doc.transact(() => {
          const array = room.doc.getArray(RECORDS_KEY)
          for (const index of unreadable.reverse()) array.delete(index, 1)
          writeRecords(room.doc, diff, Origins.restore)
        }, Origins.restore)
        return diff
      })
      target.destroy()
      context.log.info(
        { roomId: grant.roomId, versionId, put: changes.put.length, removed: changes.remove.length },
        'version restored',
      )
      sendJson(response, 200, {
        restored: versionId!,
        put: changes.put.length,
        removed: changes.remove.length,
      } satisfies RestoreReply)
    },
  },
]
