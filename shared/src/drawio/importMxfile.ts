/**
 * An untrusted draw.io file → new tldraw records: the first diagram onto the caller's page, each
 * further diagram onto a new page; new ids throughout, fractional indexes with arrows above every
 * shape, every record validated. Returns `{ ok: false, error }` for anything refused; never throws.
 * The first page's diagram is moved so its top-left corner lands on `origin` (the caller picks it
 * in free space, see `boundsOf`). Embedded images come back as bytes (`images`) for the caller to
 * store; their asset records have no `src` until it does. Must not touch: Yjs, I/O.
 */
import {
  AssetRecordType,
  PageRecordType,
  type TLAsset,
  type TLAssetId,
  type TLPageId,
  type TLRecord,
} from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey } from '@tldraw/utils'
import { buildPage } from '../document/records'
import { validateDocumentRecord } from '../document/schema'
import type { SkippedItem } from '../protocol/drawio'
import { boundsOf } from './bounds'
import { type DecodedImage, type ExtractedImage, ImageCollector } from './embeddedImages'
import type { Point } from './geometry'
import { type ImportCounts, importPage } from './importPage'
import { IMPORT_LIMITS, ImportOptionsSchema } from './limits'
import { diagramText } from './readInput'
import { type RawPage, readModel } from './readModel'
import { resolveCells } from './resolveCells'

export interface ImportOptions {
  /** The page the first diagram lands on. */
  pageId: string
  /** Where the top-left corner of the first diagram lands (else the file's own coordinates). */
  origin?: Point
  /** Imported shapes on `pageId` sort above this index. */
  indexAbove?: IndexKey
  /** New pages (a file's second and later diagrams) sort above this page index. */
  pageIndexAbove?: IndexKey
  /** A lower size cap than `IMPORT_LIMITS.maxFileBytes` (the server's configurable limit). */
  maxFileBytes?: number
  /** A lower cap per embedded image than `IMPORT_LIMITS.maxImageBytes` (the asset store's). */
  maxImageBytes?: number
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
      /** Cells left out or replaced by a placeholder, and why. */
      skippedItems: SkippedItem[]
      /** Embedded images to store; each one's asset record is in `records` with `src: null`. */
      images: ExtractedImage[]
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

/** One asset record per distinct embedded image that a shape uses, made when first used. */
class EmbeddedAssets {
  readonly records: TLAsset[] = []
  readonly extracted: ExtractedImage[] = []
  private readonly ids = new Map<number, TLAssetId>()

  constructor(private readonly images: readonly DecodedImage[]) {}

  readonly assetFor = (n: number, w: number, h: number): TLAssetId | undefined => {
    const known = this.ids.get(n)
    if (known) return known
    const image = this.images[n]
    if (!image) return undefined
    const id = AssetRecordType.createId()
    this.ids.set(n, id)
    this.records.push({
      id,
      typeName: 'asset',
      type: 'image',
      props: { w, h, name: 'drawio-image', isAnimated: false, mimeType: image.mimeType, src: null },
      meta: {},
    })
    this.extracted.push({ assetId: id, mimeType: image.mimeType, bytes: image.bytes })
    return id
  }
}

/** Moves a page's top-level shapes so the diagram's top-left corner is `origin`. */
function placeAt(records: TLRecord[], pageId: TLPageId, origin: Point): void {
  const bounds = boundsOf(records.filter((r) => r.typeName === 'shape'))
  if (!bounds) return
  const dx = origin.x - bounds.x
  const dy = origin.y - bounds.y
  for (const [i, record] of records.entries()) {
    if (record.typeName === 'shape' && record.parentId === pageId)
      records[i] = { ...record, x: record.x + dx, y: record.y + dy }
  }
}

function importModel(pagesRead: RawPage[], images: ImageCollector, options: ImportOptions): MxfileImport {
  const counts: ImportCounts = { shapes: 0, edges: 0, unknownStencils: 0, skipped: 0, skippedItems: [] }
  const records: TLRecord[] = []
  const pages: ImportedPage[] = []
  const embedded = new EmbeddedAssets(images.images)
  const maxImageBytes = options.maxImageBytes ?? IMPORT_LIMITS.maxImageBytes
  let pageIndex = getIndexAbove((options.pageIndexAbove as IndexKey | undefined) ?? null)
  for (const [i, raw] of pagesRead.entries()) {
    const resolved = resolveCells(raw.cells, { x: 0, y: 0 })
    if (!resolved.ok) return { ok: false, error: `page ${JSON.stringify(raw.name)}: ${resolved.error}` }
    const created = i > 0
    const pageId = created ? PageRecordType.createId() : (options.pageId as TLPageId)
    if (created) {
      records.push(buildPage({ id: pageId, name: raw.name.slice(0, MAX_PAGE_NAME_CHARS), index: pageIndex }))
      pageIndex = getIndexAbove(pageIndex)
    }
    pages.push({ pageId, name: raw.name, created })
    counts.skippedItems.push(...raw.skipped)
    const indexAbove = i === 0 ? (options.indexAbove as IndexKey | undefined) : undefined
    const pageRecords = importPage(resolved.page, pageId, indexAbove, counts, {
      pageName: raw.name,
      embeddedAsset: embedded.assetFor,
      maxImageBytes,
    })
    if (i === 0 && options.origin) placeAt(pageRecords, pageId, options.origin)
    for (const record of pageRecords) records.push(record)
  }
  records.push(...embedded.records)
  for (const record of records) {
    const valid = validateDocumentRecord(record)
    if (!valid.ok) return { ok: false, error: `an imported record does not validate: ${valid.error}` }
  }
  return { ok: true, pages, records, ...counts, images: embedded.extracted }
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
    const images = new ImageCollector(options.maxImageBytes ?? IMPORT_LIMITS.maxImageBytes)
    const model = readModel(text.text, images)
    if (!model.ok) return model
    return importModel(model.pages, images, options)
  } catch (error) {
    return {
      ok: false,
      error: `the file could not be imported: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}
