/**
 * The limits an imported file must stay within, and the zod schemas for values that cross the
 * trust boundary (import options, cell attributes). Must not touch: parsing, records.
 */
import { z } from 'zod'

export const IMPORT_LIMITS = {
  /** Largest accepted file (bytes or UTF-16 units). */
  maxFileBytes: 10 * 1024 * 1024,
  /** Largest XML after inflating a compressed diagram or PNG chunk. */
  maxXmlBytes: 20 * 1024 * 1024,
  maxPages: 100,
  /** Cells over all pages. */
  maxCells: 20_000,
  /** Parent chain depth (root → layer → containers …). */
  maxDepth: 64,
  maxLabelChars: 50_000,
  /** A style without its embedded image data (that is counted against `maxImageBytes`). */
  maxStyleChars: 10_000,
  /** Largest embedded image (decoded bytes); a larger one imports as a placeholder. */
  maxImageBytes: 10 * 1024 * 1024,
  maxWaypoints: 1_000,
  /** Coordinates beyond this are refused (they would make the board unusable). */
  maxCoordinate: 1e7,
} as const

const finite = z.number().finite()

export const ImportOptionsSchema = z.object({
  pageId: z.string().startsWith('page:'),
  origin: z.object({ x: finite, y: finite }).optional(),
  indexAbove: z.string().min(1).max(256).optional(),
  pageIndexAbove: z.string().min(1).max(256).optional(),
  maxFileBytes: z.number().int().positive().max(IMPORT_LIMITS.maxFileBytes).optional(),
  maxImageBytes: z.number().int().positive().max(IMPORT_LIMITS.maxImageBytes).optional(),
})

const coordinate = z.number().finite().min(-IMPORT_LIMITS.maxCoordinate).max(IMPORT_LIMITS.maxCoordinate)
const point = z.object({ x: coordinate, y: coordinate })

/** One cell as read from the file, before any meaning is given to it. */
export const RawCellSchema = z.object({
  id: z.string().min(1).max(512),
  parent: z.string().max(512).optional(),
  value: z.string().max(IMPORT_LIMITS.maxLabelChars),
  /** The `<object>` / `<UserObject>` wrapper's other attributes (for `%placeholders%`). */
  attributes: z.record(z.string().max(512), z.string().max(IMPORT_LIMITS.maxLabelChars)).optional(),
  style: z.string().max(IMPORT_LIMITS.maxStyleChars),
  vertex: z.boolean(),
  edge: z.boolean(),
  source: z.string().max(512).optional(),
  target: z.string().max(512).optional(),
  geometry: z.object({
    x: coordinate,
    y: coordinate,
    width: z.number().finite().min(0).max(IMPORT_LIMITS.maxCoordinate),
    height: z.number().finite().min(0).max(IMPORT_LIMITS.maxCoordinate),
    relative: z.boolean(),
    sourcePoint: point.optional(),
    targetPoint: point.optional(),
    /** An edge label's offset from its place on the edge (px). */
    offset: point.optional(),
    points: z.array(point).max(IMPORT_LIMITS.maxWaypoints),
  }),
})

export type RawCell = z.infer<typeof RawCellSchema>
