import { appConfig } from '../app/appConfig'

/**
 * The server's upload limits (from the app config, `GET /api/config` → `limits`), so a file over them is
 * refused here with the limit in words instead of being sent only to be refused (413).
 * Must not touch: the upload itself.
 */

/** Largest file the server accepts on a board. */
export function maxAssetBytes(): Promise<number> {
  return appConfig().then((config) => config.maxAssetBytes)
}

const MIB = 1024 * 1024

/** "12.3 MiB" / "800 KiB", as the server words its limits. */
export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`
}
