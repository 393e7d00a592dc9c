/**
 * Images and videos on boards. Owns: accepting a file for a room (type sniffed from its bytes,
 * size cap, per-room quota, content address), reading it back for that room, and deleting blobs no
 * room uses. Which store holds the bytes is chosen here from the configuration.
 * Must not touch: HTTP (routes map `AssetRejection` to statuses), Yjs, the SQL itself (`storage/`).
 */
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AssetsConfig } from '../config'
import { ByteBudget } from '../limits/byteBudget'
import type { Logger } from '../logger'
import type { AssetBlob, AssetIndex } from '../storage/storage'
import type { AssetStore } from './assetStore'
import { LocalAssetStore } from './localAssetStore'
import { type AssetMimeType, sniffAssetType } from './sniff'
import { SupabaseAssetStore } from './supabaseAssetStore'

/** Largest single file, and total bytes of the distinct files one room may use. */
export type AssetLimits = AssetsConfig['limits']

export type AssetRejectionKind = 'unsupported-type' | 'too-large' | 'over-quota' | 'empty'

export class AssetRejection extends Error {
  constructor(
    readonly kind: AssetRejectionKind,
    message: string,
  ) {
    super(message)
  }
}

export interface StoredAsset {
  sha256: string
  mimeType: AssetMimeType
  byteSize: number
}

const MIB = 1024 * 1024
export const formatBytes = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`

/**
 * Bytes of files held in memory for exports at once, server-wide; past it, exports wait their turn.
 * One export at its cap (64 MiB) fills it: building the XML costs ≈ 9× the files' bytes in strings.
 */
export const EXPORT_BYTES_IN_FLIGHT = 64 * 1024 * 1024

export class Assets {
  /** What exports may hold at once (see `inlineAssets.ts`). */
  readonly exportReads = new ByteBudget(EXPORT_BYTES_IN_FLIGHT)

  constructor(
    readonly store: AssetStore,
    private readonly index: AssetIndex,
    readonly limits: AssetLimits,
    private readonly log: Logger,
  ) {}

  /** Stores `bytes` for `roomId` (once, however often it is uploaded); throws AssetRejection. */
  async add(roomId: string, bytes: Uint8Array): Promise<StoredAsset> {
    if (bytes.byteLength === 0) throw new AssetRejection('empty', 'The request has no file in its body.')
    if (bytes.byteLength > this.limits.maxBytes)
      throw new AssetRejection('too-large', `Files may be at most ${formatBytes(this.limits.maxBytes)}.`)
    const mimeType = sniffAssetType(bytes)
    if (!mimeType)
      throw new AssetRejection(
        'unsupported-type',
        'This file is not an image or video a board can show (PNG, JPEG, GIF, WebP, SVG, MP4, WebM).',
      )
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const blob: AssetBlob = { sha256, mimeType, byteSize: bytes.byteLength }
    const attached = await this.index.attach(roomId, blob, this.limits.roomQuotaBytes, async () => {
      if (!(await this.store.has(sha256))) await this.store.put(sha256, bytes, mimeType)
    })
    if (!attached.ok) {
      throw new AssetRejection(
        'over-quota',
        `This board's files use ${formatBytes(attached.usedBytes)} of its ${formatBytes(this.limits.roomQuotaBytes)}; ` +
          `this file (${formatBytes(bytes.byteLength)}) does not fit. Remove unused images or start another board.`,
      )
    }
    return { sha256, mimeType, byteSize: bytes.byteLength }
  }

  /** Whether `roomId` uses the file (without reading it). */
  async has(roomId: string, sha256: string): Promise<boolean> {
    return (await this.index.find(roomId, sha256)) !== undefined
  }

  /** The file's size, if `roomId` uses it (without reading it). */
  async sizeOf(roomId: string, sha256: string): Promise<number | undefined> {
    return (await this.index.find(roomId, sha256))?.byteSize
  }

  /** The file's bytes and type, if `roomId` uses it and its bytes are there. */
  async read(roomId: string, sha256: string): Promise<{ bytes: Uint8Array; mimeType: string } | undefined> {
    const blob = await this.index.find(roomId, sha256)
    if (!blob) return undefined
    const bytes = await this.store.get(sha256)
    if (!bytes) {
      this.log.error({ roomId, sha256 }, 'asset recorded but its bytes are missing from the store')
      return undefined
    }
    return { bytes, mimeType: blob.mimeType }
  }

  /** Deletes every blob no room uses (after a room is deleted, and at start-up); returns how many. */
  async sweep(): Promise<number> {
    const removed = await this.index.sweep((names) => this.store.delete(names))
    if (removed.length > 0) this.log.info({ removed: removed.length }, 'deleted assets no board uses')
    return removed.length
  }
}

/** Supabase Storage when SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are set, else `DATA_DIR/assets`. */
export async function openAssetStore(
  config: AssetsConfig,
  shared: { dataDir: string; supabaseUrl: string | undefined },
  log: Logger,
): Promise<AssetStore> {
  const { serviceRoleKey, bucket } = config.supabase
  const url = shared.supabaseUrl
  if (url && serviceRoleKey) {
    log.info({ bucket }, 'assets in Supabase Storage')
    return SupabaseAssetStore.open({ url, serviceRoleKey, bucket }, log)
  }
  // An in-memory database (memory://) gets a throw-away directory for its files too.
  const directory = shared.dataDir.startsWith('memory://')
    ? join(tmpdir(), `drawbridge-assets-${process.pid}`)
    : join(shared.dataDir, 'assets')
  return new LocalAssetStore(directory)
}
