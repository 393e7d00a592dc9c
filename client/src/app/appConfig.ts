/**
 * What the server tells the client at run time (`GET /api/config`): whether accounts exist (Supabase
 * settings), the tldraw licence key (`TLDRAW_LICENSE_KEY`, so one container image serves any
 * deployment; the build-time `VITE_TLDRAW_LICENSE_KEY` stays as the fallback) and the upload limits
 * the client checks before sending a file. Fetched once.
 */

export interface AuthConfig {
  supabaseUrl: string
  supabaseAnonKey: string
}

export interface AppConfig {
  auth: AuthConfig | null
  tldrawLicenseKey: string | undefined
  /** Largest file the server accepts on a board (`MAX_ASSET_BYTES`). */
  maxAssetBytes: number
}

/** tldraw's own default, and the server's default MAX_ASSET_BYTES: used until the server answers. */
const DEFAULT_MAX_ASSET_BYTES = 10 * 1024 * 1024

const BUILD_LICENSE_KEY = (import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined) || undefined

let loaded: Promise<AppConfig> | undefined
let known: AppConfig | undefined

async function load(): Promise<AppConfig> {
  try {
    const response = await fetch('/api/config')
    if (!response.ok) throw new Error(`config: ${response.status}`)
    const body = (await response.json()) as {
      auth?: AuthConfig | null
      tldrawLicenseKey?: string | null
      limits?: { maxAssetBytes?: unknown }
    }
    const maxAsset = body.limits?.maxAssetBytes
    return {
      auth: body.auth ?? null,
      tldrawLicenseKey: body.tldrawLicenseKey || BUILD_LICENSE_KEY,
      maxAssetBytes: typeof maxAsset === 'number' && maxAsset > 0 ? maxAsset : DEFAULT_MAX_ASSET_BYTES,
    }
  } catch {
    // Offline (or an old server): no accounts, the build's key, the default limits.
    return { auth: null, tldrawLicenseKey: BUILD_LICENSE_KEY, maxAssetBytes: DEFAULT_MAX_ASSET_BYTES }
  }
}

export function appConfig(): Promise<AppConfig> {
  loaded ??= load().then((config) => {
    known = config
    return config
  })
  return loaded
}

/** The config once loaded (the board waits for it before it mounts tldraw), else undefined. */
export function loadedConfig(): AppConfig | undefined {
  return known
}
