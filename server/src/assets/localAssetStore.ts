/**
 * Blobs on the local disk, under `DATA_DIR/assets/<first two hex digits>/<sha256>` (the default
 * store). Writes go to a temporary file renamed into place, so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { type AssetStore, assertBlobName } from './assetStore'

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT'

export class LocalAssetStore implements AssetStore {
  readonly kind = 'local'

  constructor(readonly directory: string) {}

  /** Where the blob `name` lives on disk (tests look here). */
  pathOf(name: string): string {
    assertBlobName(name)
    return join(this.directory, name.slice(0, 2), name)
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    const path = this.pathOf(name)
    await mkdir(dirname(path), { recursive: true })
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temporary, bytes)
      await rename(temporary, path)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    try {
      const buffer = await readFile(this.pathOf(name))
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
  }

  async has(name: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(name))).isFile()
    } catch (error) {
      if (isMissing(error)) return false
      throw error
    }
  }

  async delete(names: string[]): Promise<void> {
    for (const name of names) await rm(this.pathOf(name), { force: true })
  }
}
