/**
 * What the server tells the client at run time (`GET /api/config`): whether accounts exist (Supabase
 * settings), the tldraw licence key (`TLDRAW_LICENSE_KEY`, so one container image serves any
 * deployment; the build-time `VITE_TLDRAW_LICENSE_KEY` stays as the fallback) and the limits the
 * client checks before sending a file or a change. Fetched once; the reply is the shared `ConfigReply`.
 */
import { ConfigReply, DEFAULT_MAX_UPDATE_BYTES, type PublicAuth } from '@drawbridge/shared'
import { readReply } from './api'

export interface AppConfig {
  auth: PublicAuth | null
  tldrawLicenseKey: string | undefined
  /** Largest file the server accepts on a board (`MAX_ASSET_BYTES`). */
  maxAssetBytes: number
  /** Largest document update the server accepts (`MAX_UPDATE_BYTES`): larger changes are refused here. */
  maxUpdateBytes: number
}

/** tldraw's own default, and the server's default MAX_ASSET_BYTES: used until the server answers. */
const DEFAULT_MAX_ASSET_BYTES = 10 * 1024 * 1024

const BUILD_LICENSE_KEY = (import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined) || undefined

let loaded: Promise<AppConfig> | undefined
let known: AppConfig | undefined

async function load(): Promise<AppConfig> {
  try {
    const reply = await readReply(await fetch('/api/config'), ConfigReply)
    return {
      auth: reply.auth,
      tldrawLicenseKey: reply.tldrawLicenseKey || BUILD_LICENSE_KEY,
      maxAssetBytes: reply.limits.maxAssetBytes,
      maxUpdateBytes: reply.limits.maxUpdateBytes,
    }
  } catch {
    // Offline (or an answer that is not the contract): no accounts, the build's key, the default limits.
    return {
      auth: null,
      tldrawLicenseKey: BUILD_LICENSE_KEY,
      maxAssetBytes: DEFAULT_MAX_ASSET_BYTES,
      maxUpdateBytes: DEFAULT_MAX_UPDATE_BYTES,
    }
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
