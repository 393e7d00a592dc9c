/**
 * The server's upload limits (`GET /api/config` → `limits`), read once, so a file over them is
 * refused here with the limit in words instead of being sent only to be refused (413).
 * Must not touch: the upload itself.
 */

/** tldraw's own default, and the server's default MAX_ASSET_BYTES: used until the server answers. */
const DEFAULT_MAX_ASSET_BYTES = 10 * 1024 * 1024

let maxAsset: Promise<number> | undefined

/** Largest file the server accepts on a board. */
export function maxAssetBytes(): Promise<number> {
  maxAsset ??= fetch('/api/config')
    .then((response) => response.json() as Promise<{ limits?: { maxAssetBytes?: unknown } }>)
    .then((config) => {
      const value = config.limits?.maxAssetBytes
      return typeof value === 'number' && value > 0 ? value : DEFAULT_MAX_ASSET_BYTES
    })
    .catch(() => {
      maxAsset = undefined // offline: ask again next time
      return DEFAULT_MAX_ASSET_BYTES
    })
  return maxAsset
}

const MIB = 1024 * 1024

/** "12.3 MiB" / "800 KiB", as the server words its limits. */
export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`
}
