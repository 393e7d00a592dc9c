/**
 * draw.io files in the browser: import one into free space on the current page as a single
 * undoable change, and download the board as a .drawio file. The mapping is `shared/src/drawio`;
 * this module only touches the editor and the browser's file APIs.
 */
import {
  boundsOf,
  getIndexAbove,
  IMPORT_LIMITS,
  type IndexKey,
  isDocumentRecord,
  mxfileToRecords,
  recordsToMxfile,
  type TLRecord,
} from '@drawbridge/shared'
import type { Editor, TLShapeId } from 'tldraw'
import { inlineAssetSources } from '../assets/inlineForExport'

/** Gap between what is on the page and what an import adds, in page units. */
const IMPORT_MARGIN = 120

/** True for files that carry a draw.io diagram (not plain images that merely end in .svg/.png). */
export function isDrawioFile(file: File): boolean {
  return /\.(drawio|xml)$/i.test(file.name) || /\.drawio\.(svg|png)$/i.test(file.name)
}

export type ImportOutcome =
  | { ok: true; shapes: number; edges: number; skipped: number }
  | { ok: false; error: string }

export async function importDrawioFile(editor: Editor, file: File): Promise<ImportOutcome> {
  // Said before the file is read into memory at all.
  if (file.size > IMPORT_LIMITS.maxFileBytes) {
    const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    return {
      ok: false,
      error: `This file is ${mib(file.size)}; draw.io files may be at most ${mib(IMPORT_LIMITS.maxFileBytes)}.`,
    }
  }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const pageId = editor.getCurrentPageId()
  const onPage = editor.getCurrentPageShapes() as unknown as TLRecord[]
  const occupied = boundsOf(onPage)
  const highest = (records: Array<{ index: IndexKey }>) =>
    records.reduce<IndexKey | undefined>(
      (max, record) => (!max || record.index > max ? record.index : max),
      undefined,
    )
  const imported = mxfileToRecords(bytes, {
    pageId,
    origin: occupied ? { x: occupied.x + occupied.w + IMPORT_MARGIN, y: occupied.y } : { x: 0, y: 0 },
    indexAbove: highest(editor.getCurrentPageShapes()) ?? getIndexAbove(null),
    pageIndexAbove: highest(editor.getPages()),
  })
  if (!imported.ok) return { ok: false, error: imported.error }
  editor.markHistoryStoppingPoint('import draw.io')
  editor.run(() => editor.store.put(imported.records as never))
  const shapeIds = imported.records
    .filter((record) => record.typeName === 'shape' && record.parentId === pageId)
    .map((record) => record.id as TLShapeId)
  if (shapeIds.length > 0) {
    editor.select(...shapeIds)
    editor.zoomToSelection({ animation: { duration: 200 } })
  }
  return { ok: true, shapes: imported.shapes, edges: imported.edges, skipped: imported.skipped }
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
