/**
 * Serves the built client: hashed assets with immutable caching, the service worker uncached, and
 * index.html for the app's routes (`/`, `/r/<link>`); never source maps. Must not touch: the API,
 * sockets.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Source maps are built (`sourcemap: 'hidden'`, for error reports) but never served: they would
 * hand anyone the client's full source and comments.
 */
const SOURCE_MAP = /\.map$/i

/** App routes answered with index.html so the client router takes over. */
const APP_ROUTE = /^\/(r\/[^/]+\/?)?$/

async function fileAt(root: string, path: string): Promise<string | undefined> {
  const full = normalize(join(root, path))
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined
  try {
    return (await stat(full)).isFile() ? full : undefined
  } catch {
    return undefined
  }
}

function cacheControl(path: string): string {
  if (path.startsWith('/assets/')) return 'public, max-age=31536000, immutable'
  return 'no-cache'
}

export async function serveStatic(clientDir: string, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  const root = normalize(clientDir)
  let path: string
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request path')
    return
  }
  const file = SOURCE_MAP.test(path)
    ? undefined
    : ((await fileAt(root, path)) ?? (APP_ROUTE.test(path) ? await fileAt(root, 'index.html') : undefined))
  if (!file) {
    const body = APP_ROUTE.test(path) ? 'The client is not built: run `pnpm build`.' : 'Not found'
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(body)
    return
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : cacheControl(path),
    'x-content-type-options': 'nosniff',
  })
  if (request.method === 'HEAD') return void response.end()
  createReadStream(file).pipe(response)
}
