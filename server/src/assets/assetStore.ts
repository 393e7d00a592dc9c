/**
 * Where the bytes of images and videos live. Owns: blob bytes by name — content-addressed, the
 * SHA-256 hex of the bytes, so one file is kept once however many rooms or uploads use it.
 * Must not touch: the database (which room uses which blob is `storage/`'s), HTTP, Yjs.
 */

export interface AssetStore {
  readonly kind: 'local' | 'supabase'
  /** Stores `bytes` under `name`; storing the same name again is harmless (same bytes). */
  put(name: string, bytes: Uint8Array, mimeType: string): Promise<void>
  /** The bytes stored under `name`, or undefined when there are none. */
  get(name: string): Promise<Uint8Array | undefined>
  has(name: string): Promise<boolean>
  /** Deletes the named blobs; names that do not exist are ignored. */
  delete(names: string[]): Promise<void>
}

/** A blob name is the lowercase hex SHA-256 of its bytes; anything else never reaches a store. */
export const BLOB_NAME = /^[0-9a-f]{64}$/

export function assertBlobName(name: string): void {
  if (!BLOB_NAME.test(name)) throw new Error(`not a blob name: ${JSON.stringify(name)}`)
}
