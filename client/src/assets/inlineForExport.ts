/**
 * For files that leave the browser (the draw.io download): asset records whose `src` is one of this
 * server's asset URLs, or a file still pending on this device, carry the bytes as a data URI
 * instead, so the file opens with its images anywhere. Other sources (data URIs, other sites) stay.
 * Only assets the export draws are fetched (`assetIdsForExport`: not videos, not unused assets).
 */
import { assetIdsForExport, parseAssetSrc, type TLRecord } from '@drawbridge/shared'
import type { Editor, TLAsset } from 'tldraw'
import { isPendingSrc } from './boardAssets'

function dataUri(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as string)
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(blob)
  })
}

export async function inlineAssetSources(editor: Editor, records: TLRecord[]): Promise<TLRecord[]> {
  const needed = assetIdsForExport(records)
  return Promise.all(
    records.map(async (record) => {
      if (record.typeName !== 'asset' || !needed.has(record.id)) return record
      const src = record.props.src
      if (!src || !(isPendingSrc(src) || parseAssetSrc(src, window.location.origin))) return record
      try {
        const url = await editor.resolveAssetUrl(record.id, { shouldResolveToOriginal: true })
        if (!url) return record
        const response = await fetch(url)
        if (!response.ok) return record
        const inlined = await dataUri(await response.blob())
        return { ...record, props: { ...record.props, src: inlined } } as TLAsset as TLRecord
      } catch {
        return record // unreachable now: the export keeps the URL
      }
    }),
  )
}
