/**
 * Blobs in a Supabase Storage bucket (private: the server proxies every read, so assets keep the
 * same origin, headers and access rules whichever store holds them), through `@supabase/supabase-js`
 * with the service-role key. Objects are `<first two hex digits>/<sha256>`. The bucket is created
 * on first write if it does not exist.
 */
import WebSocket from 'ws'
import type { Logger } from '../logger'
import { type AssetStore, assertBlobName } from './assetStore'

export interface SupabaseAssetStoreOptions {
  url: string
  serviceRoleKey: string
  bucket: string
}

/** The part of supabase-js's bucket API this store uses. */
interface BucketApi {
  upload(
    path: string,
    body: Uint8Array,
    options: { contentType: string; upsert: boolean; cacheControl: string },
  ): Promise<{ error: unknown }>
  download(path: string): PromiseLike<{ data: Blob | null; error: unknown }>
  exists(path: string): Promise<{ data: boolean; error: unknown }>
  remove(paths: string[]): Promise<{ error: unknown }>
}

interface StorageApi {
  from(bucket: string): BucketApi
  getBucket(id: string): Promise<{ error: unknown }>
  createBucket(id: string, options: { public: boolean }): Promise<{ error: unknown }>
}

/** Supabase Storage says "not found" as 404, or as 400 with statusCode "404" (older versions). */
function isNotFound(error: unknown): boolean {
  const e = error as { status?: number; statusCode?: string; message?: string }
  return e.status === 404 || e.statusCode === '404' || /not.?found/i.test(e.message ?? '')
}

function failure(action: string, error: unknown): Error {
  const message = (error as { message?: string }).message ?? String(error)
  return new Error(`Supabase Storage ${action} failed: ${message}`, { cause: error })
}

const objectPath = (name: string) => {
  assertBlobName(name)
  return `${name.slice(0, 2)}/${name}`
}

export class SupabaseAssetStore implements AssetStore {
  readonly kind = 'supabase'
  private bucketReady: Promise<void> | undefined

  private constructor(
    private readonly storage: StorageApi,
    private readonly bucket: string,
    private readonly log: Logger,
  ) {}

  /** supabase-js is loaded only when Supabase Storage is configured (it warns on import on Node 20). */
  static async open(options: SupabaseAssetStoreOptions, log: Logger): Promise<SupabaseAssetStore> {
    const { createClient } = await import('@supabase/supabase-js')
    const client = createClient(options.url, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // Never used here, but supabase-js builds its realtime client eagerly and Node 20 has no WebSocket.
      realtime: { transport: WebSocket as never },
    })
    return new SupabaseAssetStore(client.storage as unknown as StorageApi, options.bucket, log)
  }

  private files(): BucketApi {
    return this.storage.from(this.bucket)
  }

  /** Creates the (private) bucket once if it is missing; retried after a failure. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (!(await this.storage.getBucket(this.bucket)).error) return
      const { error } = await this.storage.createBucket(this.bucket, { public: false })
      const status = (error as { status?: number; statusCode?: string } | null)?.statusCode
      if (error && status !== '409' && (error as { status?: number }).status !== 409)
        throw failure(`creating bucket ${this.bucket}`, error)
      this.log.info({ bucket: this.bucket }, 'asset bucket ready')
    })().catch((error: unknown) => {
      this.bucketReady = undefined
      throw error
    })
    return this.bucketReady
  }

  async put(name: string, bytes: Uint8Array, mimeType: string): Promise<void> {
    await this.ensureBucket()
    const { error } = await this.files().upload(objectPath(name), bytes, {
      contentType: mimeType,
      upsert: true,
      cacheControl: '31536000',
    })
    if (error) throw failure('upload', error)
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const { data, error } = await this.files().download(objectPath(name))
    if (error) {
      if (isNotFound(error)) return undefined
      throw failure('download', error)
    }
    return data ? new Uint8Array(await data.arrayBuffer()) : undefined
  }

  async has(name: string): Promise<boolean> {
    try {
      const { data, error } = await this.files().exists(objectPath(name))
      if (error && !isNotFound(error)) throw failure('exists', error)
      return data
    } catch (error) {
      if (isNotFound(error)) return false
      throw error
    }
  }

  async delete(names: string[]): Promise<void> {
    if (names.length === 0) return
    const { error } = await this.files().remove(names.map(objectPath))
    if (error) throw failure('remove', error)
  }
}
