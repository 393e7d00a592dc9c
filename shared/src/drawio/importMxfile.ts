/**
 * An untrusted draw.io file → new tldraw records: the first diagram onto the caller's page, each
 * further diagram onto a new page; new ids throughout, fractional indexes with arrows above every
 * shape, every record validated. Returns `{ ok: false, error }` for anything refused; never throws.
 * Placement in free space is the caller's (see `boundsOf`). Must not touch: Yjs, I/O.
 */
import { PageRecordType, type TLPageId, type TLRecord } from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import { buildPage } from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import type { Point } from './geometry'
import { type ImportCounts, importPage } from './importPage'
import { ImportOptionsSchema } from './limits'
import { diagramText } from './readInput'
import { type RawPage, readModel } from './readModel'
import { resolveCells } from './resolveCells'

export interface ImportOptions {
  /** The page the first diagram lands on. */
  pageId: string
  /** Added to every position (the caller's free-space offset). */
  origin?: Point
  /** Imported shapes on `pageId` sort above this index. */
  indexAbove?: IndexKey
  /** New pages (a file's second and later diagrams) sort above this page index. */
  pageIndexAbove?: IndexKey
  /** A lower size cap than `IMPORT_LIMITS.maxFileBytes` (the server's configurable limit). */
  maxFileBytes?: number
}

export interface ImportedPage {
  pageId: TLPageId
  name: string
  /** True when the page record is new and is in `records`. */
  created: boolean
}

export type MxfileImport =
  | {
      ok: true
      pages: ImportedPage[]
      records: TLRecord[]
      shapes: number
      edges: number
      unknownStencils: number
      skipped: number
    }
  | { ok: false; error: string }

const MAX_PAGE_NAME_CHARS = 200

/** True when `key` is a fractional index the tldraw helpers accept. */
function isIndexKey(key: string | undefined): boolean {
  if (key === undefined) return true
  try {
    getIndexAbove(key as IndexKey)
    return true
  } catch {
    return false
  }
}

function importModel(pagesRead: RawPage[], options: ImportOptions): MxfileImport {
  const origin = options.origin ?? { x: 0, y: 0 }
  const counts: ImportCounts = { shapes: 0, edges: 0, unknownStencils: 0, skipped: 0 }
  const records: TLRecord[] = []
  const pages: ImportedPage[] = []
  let pageIndex = getIndexAbove((options.pageIndexAbove as IndexKey | undefined) ?? null)
  for (const [i, raw] of pagesRead.entries()) {
    const resolved = resolveCells(raw.cells, i === 0 ? origin : { x: 0, y: 0 })
    if (!resolved.ok) return { ok: false, error: `page ${JSON.stringify(raw.name)}: ${resolved.error}` }
    const created = i > 0
    const pageId = created ? PageRecordType.createId() : (options.pageId as TLPageId)
    if (created) {
      records.push(buildPage({ id: pageId, name: raw.name.slice(0, MAX_PAGE_NAME_CHARS), index: pageIndex }))
      pageIndex = getIndexAbove(pageIndex)
    }
    pages.push({ pageId, name: raw.name, created })
    const indexAbove = i === 0 ? (options.indexAbove as IndexKey | undefined) : undefined
    for (const record of importPage(resolved.page, pageId, indexAbove, counts)) records.push(record)
  }
  for (const record of records) {
    const valid = validateDocumentRecord(record)
    if (!valid.ok) return { ok: false, error: `an imported record does not validate: ${valid.error}` }
  }
  return { ok: true, pages, records, ...counts }
}

/**
 * Imports a `.drawio`/`.xml` (plain or compressed), bare mxGraphModel, `.drawio.svg` or
 * `.drawio.png`. Never throws: anything refused, and any unexpected failure, is `{ ok: false }`.
 */
export function mxfileToRecords(input: string | Uint8Array, options: ImportOptions): MxfileImport {
  const checked = ImportOptionsSchema.safeParse(options)
  if (!checked.success)
    return { ok: false, error: `invalid import options: ${checked.error.issues[0]?.message ?? ''}` }
  if (!isIndexKey(options.indexAbove) || !isIndexKey(options.pageIndexAbove)) {
    return { ok: false, error: 'invalid import options: not a fractional index key' }
  }
  try {
    const text = diagramText(input, options.maxFileBytes)
    if (!text.ok) return text
    const model = readModel(text.text)
    if (!model.ok) return model
    return importModel(model.pages, options)
  } catch (error) {
    return {
      ok: false,
      error: `the file could not be imported: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}
