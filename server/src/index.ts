/** @drawbridge/server: start a server in-process (tests, benchmarks, embedding). */

export type { AssetStore } from './assets/assetStore'
export { LocalAssetStore } from './assets/localAssetStore'
export { SupabaseAssetStore } from './assets/supabaseAssetStore'
export { type Config, ConfigSchema, EnvSchema, loadConfig } from './config'
export { createLogger, type Logger } from './logger'
export { type RunningServer, startServer } from './server'
export type { JobStore, QueueOptions } from './storage/copilot/jobStore'
export { openStorage } from './storage/openStorage'
export type { LinkGrant, Role, Storage, StoredDocument } from './storage/storage'
export { packUpdates, unpackUpdates } from './storage/updateBatch'
