/**
 * Images and videos on a board: tldraw's asset store, wired to `POST /api/links/<id>/assets`, so
 * asset records hold a short URL instead of base64. Offline (or when the upload cannot reach the
 * server) the file is kept in IndexedDB under a placeholder `src` and shown from there at once;
 * once the server is reachable it is uploaded and every record holding the placeholder is rewritten
 * to the server's URL — a normal document change, so every peer then loads it. The upload's reply
 * is the shared `AssetUploadReply`.
 * Must not touch: the Y.Doc (records travel through the store binding), the service worker.
 */
import { AssetUploadReply } from '@drawbridge/shared'
import type { Editor, TLAsset, TLAssetStore } from 'tldraw'
import { authHeaders } from '../account/session'
import { readErrorReply, readReply } from '../app/api'
import { type PendingFile, pendingFiles } from './pendingFiles'
import { formatBytes, maxAssetBytes } from './uploadLimits'

/** The `src` of a file that is still only on this device (tldraw accepts the `asset:` scheme). */
export const PENDING_SRC_PREFIX = 'asset:drawbridge-pending-'
export const isPendingSrc = (src: string | null | undefined): src is string =>
  typeof src === 'string' && src.startsWith(PENDING_SRC_PREFIX)

/** The file types the server accepts (it checks the bytes; this only spares a pointless upload). */
export const ACCEPTED_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']
export const ACCEPTED_VIDEO_TYPES = ['video/mp4', 'video/webm']

/** How often pending files are retried while some remain (besides on `online` and on reconnect). */
const RETRY_MS = 15_000
/** A pending file no record uses after this long (its shape was deleted) is dropped. */
const ORPHAN_AFTER_MS = 60_000

/** The server refused the file itself (type, size, quota): retrying cannot help. */
export class UploadRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

/** The server could not be reached or could not take it now: keep the file and try later. */
class UploadUnavailable extends Error {}

/** Statuses after which this file will never be accepted; others (401/403/404/410, 5xx) may pass later. */
const FINAL_REFUSALS = new Set([400, 413, 415, 507])

async function uploadFile(linkId: string, file: Blob, signal?: AbortSignal): Promise<string> {
  let response: Response
  try {
    response = await fetch(`/api/links/${encodeURIComponent(linkId)}/assets`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream', ...authHeaders() },
      body: file,
      signal,
    })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new UploadUnavailable(`network error: ${(error as Error).message}`)
  }
  if (response.status === 201) return (await readReply(response, AssetUploadReply)).url
  const message = (await readErrorReply(response)).error ?? response.statusText
  if (FINAL_REFUSALS.has(response.status)) throw new UploadRefused(message, response.status)
  throw new UploadUnavailable(`${response.status} ${message}`)
}

function randomId(): string {
  // crypto.randomUUID needs a secure context; getRandomValues works everywhere.
  return [...crypto.getRandomValues(new Uint8Array(16))]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('')
}

const srcOf = (asset: TLAsset): string | null => (asset.props as { src?: string | null }).src ?? null

export class BoardAssets {
  /** Object URLs of files kept on this device, by placeholder `src` (null: not on this device). */
  private readonly localUrls = new Map<string, Promise<string | null>>()
  /** The last `src` tldraw asked about, by asset id (see `resolve`). */
  private readonly latestSrc = new Map<string, string>()
  private flushing: Promise<void> | undefined

  constructor(private readonly board: { linkId: string; roomId: string }) {}

  readonly store: TLAssetStore = {
    upload: async (_asset, file, signal) => {
      // Over the server's limit: said here, and neither sent nor kept for later.
      const limit = await maxAssetBytes()
      if (file.size > limit)
        throw new UploadRefused(
          `This file is ${formatBytes(file.size)}; files may be at most ${formatBytes(limit)}.`,
          413,
        )
      if (navigator.onLine) {
        try {
          return { src: await uploadFile(this.board.linkId, file, signal) }
        } catch (error) {
          if (!(error instanceof UploadUnavailable)) throw error // refused: tldraw says so and drops it
        }
      }
      return { src: await this.keepOnDevice(file) }
    },
    resolve: (asset) => {
      const src = srcOf(asset)
      if (!src) return null
      this.latestSrc.set(asset.id, src)
      if (!isPendingSrc(src)) return src
      // tldraw shows whichever answer arrives last. Another peer's pending file is looked up in
      // IndexedDB (and not found) while its author uploads it and rewrites the record; that late
      // "not here" must not replace the server URL resolved meanwhile, so answer for the newest src.
      return this.localUrl(src).then((url) => {
        const latest = this.latestSrc.get(asset.id)
        if (!latest || latest === src) return url
        return isPendingSrc(latest) ? this.localUrl(latest) : latest
      })
    },
  }

  /** Keeps `file` in IndexedDB and returns the placeholder `src` it is shown from meanwhile. */
  private async keepOnDevice(file: Blob): Promise<string> {
    const src = `${PENDING_SRC_PREFIX}${randomId()}`
    this.localUrls.set(src, Promise.resolve(URL.createObjectURL(file)))
    const pending: PendingFile = {
      src,
      roomId: this.board.roomId,
      linkId: this.board.linkId,
      blob: file,
      addedAt: Date.now(),
    }
    await pendingFiles.put(pending)
    return src
  }

  private localUrl(src: string): Promise<string | null> {
    let url = this.localUrls.get(src)
    if (!url) {
      url = pendingFiles
        .get(src)
        .then((pending) => (pending ? URL.createObjectURL(pending.blob) : null))
        .catch(() => null)
      this.localUrls.set(src, url)
    }
    return url
  }

  /**
   * Uploads this room's pending files (now, when the browser comes online, when the board
   * reconnects, and every RETRY_MS) and points their records at the server. Editors only.
   */
  startUploading(editor: Editor, onReconnect: (listener: () => void) => () => void): () => void {
    const flush = () => void this.flush(editor)
    window.addEventListener('online', flush)
    const stopReconnect = onReconnect(flush)
    const timer = window.setInterval(flush, RETRY_MS)
    flush()
    return () => {
      window.removeEventListener('online', flush)
      stopReconnect()
      window.clearInterval(timer)
    }
  }

  /** One pass over the pending files; concurrent calls share it. */
  flush(editor: Editor): Promise<void> {
    this.flushing ??= this.uploadPending(editor)
      .catch((error: unknown) => console.warn('Drawbridge: pending uploads will be retried', error))
      .finally(() => {
        this.flushing = undefined
      })
    return this.flushing
  }

  private async uploadPending(editor: Editor): Promise<void> {
    if (!navigator.onLine) return
    for (const pending of await pendingFiles.forRoom(this.board.roomId)) {
      const users = () => editor.getAssets().filter((asset) => srcOf(asset) === pending.src)
      if (users().length === 0) {
        // tldraw writes the placeholder into the record just after upload() returns; wait for it.
        if (Date.now() - pending.addedAt > ORPHAN_AFTER_MS) await pendingFiles.remove(pending.src)
        continue
      }
      let url: string
      try {
        url = await uploadFile(this.board.linkId, pending.blob)
      } catch (error) {
        if (!(error instanceof UploadRefused)) return // unreachable again: the next pass retries
        console.warn(`Drawbridge: the server refused a file added offline: ${error.message}`)
        await pendingFiles.remove(pending.src)
        continue
      }
      const assets = users()
      editor.run(
        () =>
          editor.updateAssets(
            assets.map((asset) => ({ id: asset.id, type: asset.type, props: { ...asset.props, src: url } })),
          ),
        { history: 'ignore' },
      )
      await pendingFiles.remove(pending.src)
    }
  }

  dispose(): void {
    for (const url of this.localUrls.values()) void url.then((href) => href && URL.revokeObjectURL(href))
    this.localUrls.clear()
    this.latestSrc.clear()
  }
}
