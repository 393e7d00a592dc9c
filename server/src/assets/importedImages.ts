/**
 * Images a draw.io import took out of the file: each one stored once in the room's asset store
 * (content-addressed, like a dropped image) and its asset record pointed at the stored file; one
 * the store refuses (type, size, quota) becomes a labelled placeholder and is listed with why.
 * Must not touch: HTTP, the Y.Doc (the caller writes the records).
 */
import {
  assetPath,
  type ExtractedImage,
  fillImageSource,
  replaceImageWithPlaceholder,
  type SkippedItem,
  type TLRecord,
} from '@drawbridge/shared'
import { AssetRejection, type Assets } from './assets'

export async function storeImportedImages(
  assets: Assets,
  roomId: string,
  imported: { records: TLRecord[]; images: ExtractedImage[] },
): Promise<{ records: TLRecord[]; skipped: SkippedItem[] }> {
  let records = imported.records
  const skipped: SkippedItem[] = []
  for (const image of imported.images) {
    try {
      const stored = await assets.add(roomId, image.bytes)
      records = fillImageSource(records, image.assetId, assetPath(roomId, stored.sha256))
    } catch (error) {
      if (!(error instanceof AssetRejection)) throw error
      const reason = `Image not imported: ${error.message}`
      records = replaceImageWithPlaceholder(records, image.assetId, reason)
      skipped.push({ id: image.assetId, page: '', reason })
    }
  }
  return { records, skipped }
}
