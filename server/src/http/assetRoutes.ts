/**
 * Files on boards over HTTP: `POST /api/links/<id>/assets` (editors; the raw file as the body) and
 * `GET /api/assets/<roomId>/<sha256>` (the exact bytes, immutable). The GET needs no link: the
 * room id and the file's SHA-256 together are the capability (see docs/architecture.md, Assets), so
 * `<img>` tags, exports and every peer load it whatever link they hold. The rules are `assets/`;
 * the upload's reply is shared protocol/assets.ts.
 */
import type { ServerResponse } from 'node:http'
import { type AssetUploadReply, assetPath } from '@drawbridge/shared'
import { BLOB_NAME } from '../assets/assetStore'
import { AssetRejection, type AssetRejectionKind, formatBytes } from '../assets/assets'
import type { ApiContext } from './context'
import { isUuid, requireLink } from './guards'
import { HttpError, readBytes, sendJson } from './json'
import type { Route } from './router'

const REJECTION_STATUS: Record<AssetRejectionKind, number> = {
  empty: 400,
  'too-large': 413,
  'unsupported-type': 415,
  // The room's storage is full: the request was fine, the board has no room for it.
  'over-quota': 507,
}

/**
 * Served files never run anything: a sandboxed, resource-less document if someone opens one
 * directly (an SVG's scripts, event handlers and external loads are all blocked; its inline styles
 * still apply). Inside `<img>`, browsers never run SVG scripts anyway.
 */
export const SVG_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
const MEDIA_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'"

/** One `bytes=start-end` range (the only form browsers send for media), or undefined for "all". */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return undefined // other forms: send it all
  let start: number
  let end: number
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  if (start >= size || start > end) return 'invalid'
  return { start, end }
}

function sendAsset(
  response: ServerResponse,
  file: { bytes: Uint8Array; mimeType: string },
  etag: string,
  rangeHeader: string | undefined,
) {
  const headers: Record<string, string | number> = {
    'content-type': file.mimeType,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      file.mimeType === 'image/svg+xml' ? SVG_CONTENT_SECURITY_POLICY : MEDIA_CONTENT_SECURITY_POLICY,
    'content-disposition': 'inline',
    'accept-ranges': 'bytes',
    etag,
  }
  const size = file.bytes.byteLength
  const range = parseRange(rangeHeader, size)
  if (range === 'invalid') {
    response.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 }).end()
    return
  }
  if (range) {
    const part = file.bytes.subarray(range.start, range.end + 1)
    response.writeHead(206, {
      ...headers,
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
      'content-length': part.byteLength,
    })
    response.end(part)
    return
  }
  response.writeHead(200, { ...headers, 'content-length': size })
  response.end(file.bytes)
}

export const assetRoutes: Route<ApiContext>[] = [
  {
    method: 'POST',
    pattern: /^\/api\/links\/([^/]+)\/assets$/,
    async handle(context, request, response, [linkId]) {
      // Who first: a viewer's file is refused before a byte of it is read.
      const grant = await requireLink(context, request, linkId!, 'editor')
      const { maxBytes } = context.assets.limits
      let body: Uint8Array
      try {
        // Stops reading (413) as soon as the body passes the cap, or at once if Content-Length says so.
        body = await readBytes(request, maxBytes)
      } catch (error) {
        if (error instanceof HttpError && error.status === 413)
          throw new HttpError(413, `Files may be at most ${formatBytes(maxBytes)}.`, { connection: 'close' })
        throw error
      }
      try {
        const stored = await context.assets.add(grant.roomId, body)
        context.log.info(
          { roomId: grant.roomId, sha256: stored.sha256, type: stored.mimeType, bytes: stored.byteSize },
          'asset stored',
        )
        sendJson(response, 201, {
          id: stored.sha256,
          url: assetPath(grant.roomId, stored.sha256),
          mimeType: stored.mimeType,
          size: stored.byteSize,
        } satisfies AssetUploadReply)
      } catch (error) {
        if (error instanceof AssetRejection) throw new HttpError(REJECTION_STATUS[error.kind], error.message)
        throw error
      }
    },
  },
  {
    method: 'GET',
    pattern: /^\/api\/assets\/([^/]+)\/([^/]+)$/,
    async handle(context, request, response, [roomId, sha256]) {
      if (!isUuid(roomId!) || !BLOB_NAME.test(sha256!)) throw new HttpError(404, 'No such file.')
      const etag = `"${sha256}"`
      if (request.headers['if-none-match'] === etag && (await context.assets.has(roomId!, sha256!))) {
        response.writeHead(304, { etag, 'cache-control': 'public, max-age=31536000, immutable' }).end()
        return
      }
      const file = await context.assets.read(roomId!, sha256!)
      if (!file) throw new HttpError(404, 'No such file.')
      sendAsset(response, file, etag, request.headers.range)
    },
  },
]
