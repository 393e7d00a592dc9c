/**
 * For files that leave the server (the draw.io export): asset records whose `src` is one of our
 * asset URLs get the file's bytes as a data URI instead, so the file opens with its images anywhere.
 * Only the assets the export draws (`needed`, see `assetIdsForExport`) are read: files of other
 * pages, of videos and of deleted shapes never leave the store. Sizes are known before any read, so
 * the per-export cap reads nothing in vain, and what exports hold at once server-wide is bounded
 * (`Assets.exportReads`): an export that does not fit waits for others to finish.
 */
import { parseAssetSrc, type TLRecord } from '@drawbridge/shared'
import type { Assets } from './assets'

/** Bytes inlined per export at most; past it, sources stay URLs (the export still opens). */
const MAX_INLINE_BYTES = 64 * 1024 * 1024

export interface InlinedExport {
  records: Map<string, TLRecord>
  inlined: number
  inlinedBytes: number
  missing: number
  /** Gives the bytes back to the server-wide budget: call once the export has been sent. */
  release: () => void
}

export async function inlineAssetSources(
  records: ReadonlyMap<string, TLRecord>,
  assets: Assets,
  origin: string,
  needed: ReadonlySet<string>,
): Promise<InlinedExport> {
  const planned: Array<{ record: TLRecord & { typeName: 'asset' }; roomId: string; sha256: string }> = []
  let plannedBytes = 0
  let missing = 0
  for (const record of records.values()) {
    if (record.typeName !== 'asset' || !needed.has(record.id)) continue
    const src = record.props.src
    const target = src ? parseAssetSrc(src, origin) : undefined
    if (!target) continue
    const size = await assets.sizeOf(target.roomId, target.sha256)
    if (size === undefined || plannedBytes + size > MAX_INLINE_BYTES) {
      missing++
      continue
    }
    plannedBytes += size
    planned.push({ record, ...target })
  }
  const release = await assets.exportReads.take(plannedBytes)
  const result = new Map(records)
  let inlinedBytes = 0
  let inlined = 0
  try {
    for (const { record, roomId, sha256 } of planned) {
      const file = await assets.read(roomId, sha256)
      if (!file) {
        missing++
        continue
      }
      inlinedBytes += file.bytes.byteLength
      inlined++
      const dataUri = `data:${file.mimeType};base64,${Buffer.from(file.bytes).toString('base64')}`
      result.set(record.id, { ...record, props: { ...record.props, src: dataUri } } as TLRecord)
    }
  } catch (error) {
    release()
    throw error
  }
  return { records: result, inlined, inlinedBytes, missing, release }
}
