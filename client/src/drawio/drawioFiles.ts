/**
 * draw.io files in the browser: import one (file, drop or pasted XML) beside what is already on
 * the current page as a single undoable change, its embedded images uploaded through the board's
 * asset store, and the camera moved to show it; download the board as a .drawio file. The
 * mapping is `shared/src/drawio`; this module only touches the editor and the browser's file APIs.
 */
import {
  fillImageSource,
  getIndexAbove,
  IMPORT_LIMITS,
  type IndexKey,
  isDocumentRecord,
  mxfileToRecords,
  pageOverLimit,
  recordsToMxfile,
  replaceImageWithPlaceholder,
  type SkippedItem,
  shapeLimitWords,
  type TLRecord,
} from '@drawbridge/shared'
import type { Editor, TLAsset, TLShapeId } from 'tldraw'
import { inlineAssetSources } from '../assets/inlineForExport'

/** Gap between what is on the page and what an import adds, in page units. */
const IMPORT_MARGIN = 120
/** The camera never zooms in past 100 % to show an import (small diagrams stay at their size). */
const MAX_IMPORT_ZOOM = 1

/** draw.io XML on the clipboard (draw.io copies `<mxGraphModel>`, sometimes URI-encoded). */
export function isDrawioText(text: string): boolean {
  return (
    /^\s*(<\?xml[^>]*>\s*)?<(mxfile|mxGraphModel)[\s>]/.test(text) ||
    /^\s*%3C(mxfile|mxGraphModel)/i.test(text)
  )
}

/** True for files that carry a draw.io diagram (not plain images that merely end in .svg/.png). */
export function isDrawioFile(file: File): boolean {
  return /\.(drawio|xml)$/i.test(file.name) || /\.drawio\.(svg|png)$/i.test(file.name)
}

export type ImportOutcome =
  | { ok: true; shapes: number; edges: number; skipped: number; skippedItems: SkippedItem[] }
  | { ok: false; error: string }

/**
 * Where the import's top-left corner goes: right of everything on the page (its measured
 * bounds, so what a person sees), else the top-left of the viewport.
 */
function freeOrigin(editor: Editor): { x: number; y: number } {
  const occupied = editor.getCurrentPageBounds()
  if (occupied) return { x: occupied.maxX + IMPORT_MARGIN, y: occupied.minY }
  const view = editor.getViewportPageBounds()
  return { x: view.minX + IMPORT_MARGIN / 2, y: view.minY + IMPORT_MARGIN / 2 }
}

/** Uploads each embedded image through the board's asset store; a refused one becomes a placeholder. */
async function storeImages(
  editor: Editor,
  imported: Extract<ReturnType<typeof mxfileToRecords>, { ok: true }>,
): Promise<{ records: TLRecord[]; skipped: SkippedItem[] }> {
  let records = imported.records
  const skipped: SkippedItem[] = []
  for (const image of imported.images) {
    const asset = records.find((record) => record.id === image.assetId) as unknown as TLAsset
    const file = new File([image.bytes as Uint8Array<ArrayBuffer>], 'drawio-image', { type: image.mimeType })
    try {
      const { src } = await editor.uploadAsset(asset, file)
      records = fillImageSource(records, image.assetId, src)
    } catch (error) {
      const reason = `Image not imported: ${error instanceof Error ? error.message : String(error)}`
      records = replaceImageWithPlaceholder(records, image.assetId, reason)
      skipped.push({ id: image.assetId, page: '', reason })
    }
  }
  return { records, skipped }
}

export async function importDrawio(editor: Editor, input: Uint8Array | string): Promise<ImportOutcome> {
  const pageId = editor.getCurrentPageId()
  const highest = (records: Array<{ index: IndexKey }>) =>
    records.reduce<IndexKey | undefined>(
      (max, record) => (!max || record.index > max ? record.index : max),
      undefined,
    )
  const text = typeof input === 'string' && /^\s*%3C/i.test(input) ? safeDecode(input) : input
  const imported = mxfileToRecords(text, {
    pageId,
    origin: freeOrigin(editor),
    indexAbove: highest(editor.getCurrentPageShapes()) ?? getIndexAbove(null),
    pageIndexAbove: highest(editor.getPages()),
  })
  if (!imported.ok) return { ok: false, error: imported.error }
  // A page past the limit would freeze for everyone (the editor refuses new shapes): said before any upload.
  const existing = editor.store.allRecords() as TLRecord[]
  const over = pageOverLimit(existing, [...existing, ...imported.records])
  if (over) return { ok: false, error: shapeLimitWords(over.onPage, over.adding) }
  const stored = await storeImages(editor, imported)
  editor.markHistoryStoppingPoint('import draw.io')
  editor.run(() => editor.store.put(stored.records as never))
  const shapeIds = stored.records
    .filter((record) => record.typeName === 'shape' && record.parentId === pageId)
    .map((record) => record.id as TLShapeId)
  if (shapeIds.length > 0) {
    editor.select(...shapeIds)
    const bounds = editor.getSelectionPageBounds()
    if (bounds) editor.zoomToBounds(bounds, { targetZoom: MAX_IMPORT_ZOOM, animation: { duration: 200 } })
  }
  return {
    ok: true,
    shapes: imported.shapes,
    edges: imported.edges,
    skipped: imported.skipped,
    skippedItems: [...imported.skippedItems, ...stored.skipped],
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

export async function importDrawioFile(editor: Editor, file: File): Promise<ImportOutcome> {
  // Said before the file is read into memory at all.
  if (file.size > IMPORT_LIMITS.maxFileBytes) {
    const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    return {
      ok: false,
      error: `This file is ${mib(file.size)}; draw.io files may be at most ${mib(IMPORT_LIMITS.maxFileBytes)}.`,
    }
  }
  return importDrawio(editor, new Uint8Array(await file.arrayBuffer()))
}

export async function downloadDrawio(editor: Editor, title: string): Promise<{ unmapped: number }> {
  const records = editor.store.allRecords().filter((record) => isDocumentRecord(record)) as TLRecord[]
  // Uploaded images go inside the file (data URIs), so it opens with them in draw.io.
  const exported = recordsToMxfile(await inlineAssetSources(editor, records))
  const url = URL.createObjectURL(new Blob([exported.xml], { type: 'application/vnd.jgraph.mxfile' }))
  const link = document.createElement('a')
  link.href = url
  link.download = `${title.replace(/[^\p{L}\p{N} _.-]+/gu, '').trim() || 'board'}.drawio`
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return { unmapped: exported.unmapped.length }
}
