/**
 * Where a board's uploaded files are served: `/api/assets/<roomId>/<sha256>`. The path is what
 * goes into an asset record's `src` (relative, so a board survives a change of domain), and what
 * the server, its draw.io export and the client recognise as "one of ours". Pure: no I/O.
 */

export const ASSET_PATH_PREFIX = '/api/assets/'

const ASSET_PATH =
  /^\/api\/assets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{64})$/

/** The path a room's file is served at. */
export function assetPath(roomId: string, sha256: string): string {
  return `${ASSET_PATH_PREFIX}${roomId}/${sha256}`
}

/**
 * The room and content hash an asset `src` points at, when it is one of ours: a relative path, or
 * an absolute URL on `origin` (when given). Undefined for anything else (data URIs, other sites).
 */
export function parseAssetSrc(src: string, origin?: string): { roomId: string; sha256: string } | undefined {
  let path: string
  if (src.startsWith('/')) {
    path = src
  } else {
    let url: URL
    try {
      url = new URL(src)
    } catch {
      return undefined
    }
    if (!origin || url.origin !== new URL(origin).origin) return undefined
    path = url.pathname
  }
  const match = ASSET_PATH.exec(path)
  return match ? { roomId: match[1]!, sha256: match[2]! } : undefined
}
