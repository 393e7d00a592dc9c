/**
 * draw.io on the API: export a board (every page, or `?page=`) as an mxfile — plain, or compressed
 * as draw.io writes it with `?compressed=1` — and import a .drawio / .xml / .drawio.svg /
 * .drawio.png beside what is already on a page (its top-left corner right of everything there),
 * its embedded images stored in the room's asset store. The mapping itself is `shared/src/drawio`;
 * the import reply and the export's headers are shared protocol/drawio.ts.
 */
import {
  assetIdsForExport,
  boundsOf,
  getIndexAbove,
  IMPORT_LIMITS,
  type ImportReply,
  type IndexKey,
  mxfileToRecords,
  pageOverLimit,
  recordsToMxfile,
  shapeLimitWords,
  type TLRecord,
  UNMAPPED_HEADER,
  UNMAPPED_TYPES_HEADER,
  writeRecords,
} from '@drawbridge/shared'
import { storeImportedImages } from '../assets/importedImages'
import { inlineAssetSources } from '../assets/inlineAssets'
import { readBoardRecords } from '../persistence/readBoard'
import { Origins } from '../sync/transactionOrigin'
import type { ApiContext } from './context'
import { requireLink } from './guards'
import { HttpError, readBytes, sendJson } from './json'
import type { Route } from './router'

/** Gap between what is on the page and what an import adds, in page units. */
const IMPORT_MARGIN = 120

function fileNameFor(title: string): string {
  const safe = title.replace(/[^\p{L}\p{N} _.-]+/gu, '').trim() || 'board'
  return `${safe.slice(0, 80)}.drawio`
}

function highestIndex(records: TLRecord[]): IndexKey | undefined {
  let highest: IndexKey | undefined
  for (const record of records) {
    const index = (record as { index?: IndexKey }).index
    if (index && (!highest || index > highest)) highest = index
  }
  return highest
}

export const drawioRoutes: Route<ApiContext>[] = [
  {
    method: 'GET',
    pattern: /^\/api\/links\/([^/]+)\/export\.drawio$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!)
      const query = new URL(request.url ?? '/', 'http://x').searchParams
      const pageId = query.get('page') ?? undefined
      const live = await context.registry.withRoom(grant.roomId, (room) =>
        readBoardRecords(room.doc, context.log),
      )
      if (pageId && live.get(pageId)?.typeName !== 'page')
        throw new HttpError(404, 'No such page on this board.')
      // Uploaded images travel inside the file (data URIs), so it opens with them in draw.io; only
      // those the chosen pages draw are read.
      const needed = assetIdsForExport(live, pageId)
      const inlined = await inlineAssetSources(live, context.assets, context.publicUrl(), needed)
      // The files' bytes count against the server's export budget until the answer is sent.
      response.once('close', inlined.release)
      context.metrics.exportAssetBytesRead.inc(inlined.inlinedBytes)
      const { records } = inlined
      const exported = recordsToMxfile(records, { compressed: query.get('compressed') === '1', pageId })
      if (exported.unmapped.length > 0) {
        context.log.info(
          { roomId: grant.roomId, unmapped: exported.unmapped },
          'draw.io export left records out',
        )
      }
      response.writeHead(200, {
        'content-type': 'application/vnd.jgraph.mxfile; charset=utf-8',
        'content-disposition': `attachment; filename="${fileNameFor(grant.title)}"`,
        'cache-control': 'no-store',
        [UNMAPPED_HEADER]: String(exported.unmapped.length),
        [UNMAPPED_TYPES_HEADER]: [...new Set(exported.unmapped.map((entry) => entry.type))].join(','),
      })
      response.end(exported.xml)
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/links\/([^/]+)\/import$/,
    async handle(context, request, response, [linkId]) {
      const grant = await requireLink(context, request, linkId!, 'editor')
      const body = await readBytes(request, context.maxImportBytes)
      if (body.byteLength === 0) throw new HttpError(400, 'The request has no file in its body.')
      const query = new URL(request.url ?? '/', 'http://x').searchParams
      const result = await context.registry.withRoom(grant.roomId, async (room) => {
        const records = [...readBoardRecords(room.doc, context.log).values()]
        const pages = records.filter((record) => record.typeName === 'page')
        const page =
          pages.find((candidate) => candidate.id === query.get('page')) ??
          pages.sort((a, b) => ((a as { index: string }).index < (b as { index: string }).index ? -1 : 1))[0]
        if (!page) throw new HttpError(409, 'This board has no page to import into.')
        const onPage = records.filter((record) => record.typeName === 'shape' && record.parentId === page.id)
        const occupied = boundsOf(onPage)
        const imported = mxfileToRecords(body, {
          pageId: page.id,
          origin: occupied ? { x: occupied.x + occupied.w + IMPORT_MARGIN, y: occupied.y } : { x: 0, y: 0 },
          indexAbove: highestIndex(onPage) ?? getIndexAbove(null),
          pageIndexAbove: highestIndex(pages),
          maxImageBytes: Math.min(context.assets.limits.maxBytes, IMPORT_LIMITS.maxImageBytes),
        })
        if (!imported.ok) throw new HttpError(400, `This file cannot be imported: ${imported.error}`)
        const over = pageOverLimit(records, [...records, ...imported.records])
        if (over) throw new HttpError(422, shapeLimitWords(over.onPage, over.adding))
        const stored = await storeImportedImages(context.assets, grant.roomId, imported)
        writeRecords(room.doc, { put: stored.records, remove: [] }, Origins.import)
        const placed = boundsOf(
          stored.records.filter((r) => r.typeName === 'shape' && r.parentId === page.id),
        )
        return { ...imported, skippedItems: [...imported.skippedItems, ...stored.skipped], bounds: placed }
      })
      if (result.skippedItems.length > 0)
        context.log.info(
          { roomId: grant.roomId, skipped: result.skippedItems },
          'draw.io import replaced cells',
        )
      sendJson(response, 200, {
        shapes: result.shapes,
        edges: result.edges,
        skipped: result.skipped,
        skippedItems: result.skippedItems,
        unknownStencils: result.unknownStencils,
        images: result.images.length,
        pages: result.pages,
        bounds: result.bounds,
      } satisfies ImportReply)
    },
  },
]
