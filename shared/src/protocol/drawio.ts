/**
 * draw.io on the wire. Export: `GET /api/links/<id>/export.drawio[?page=&compressed=1]` answers
 * the mxfile itself (`application/vnd.jgraph.mxfile`), and says in `X-Drawbridge-Unmapped` how
 * many records it left out. Import: `POST /api/links/<id>/import[?page=]` (editor; the file is the
 * body) answers `ImportReply`. Owns: these schemas and header names. Must not touch: the mapping
 * (`drawio/`), the network.
 */
import { z } from 'zod'

/** How many records an export left out, and (board export) their types, comma-separated. */
export const UNMAPPED_HEADER = 'x-drawbridge-unmapped'
export const UNMAPPED_TYPES_HEADER = 'x-drawbridge-unmapped-types'

/** Something an import left out or replaced by a placeholder, and why. */
export const SkippedItem = z.object({
  /** The draw.io cell id (or the asset id for images the caller could not store). */
  id: z.string(),
  /** The draw.io page it was on ('' for an image the caller could not store). */
  page: z.string(),
  reason: z.string(),
})
export type SkippedItem = z.infer<typeof SkippedItem>

const Box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })

/** A page the import drew on: `created` when it is one of the file's later diagrams, made new. */
export const ImportedPageReply = z.object({ pageId: z.string(), name: z.string(), created: z.boolean() })

/** 200: what was drawn, what was left out, and where (page coordinates; null when nothing was). */
export const ImportReply = z.object({
  shapes: z.number(),
  edges: z.number(),
  skipped: z.number(),
  skippedItems: z.array(SkippedItem),
  unknownStencils: z.number(),
  /** Embedded images found (stored, or replaced by placeholders listed in `skippedItems`). */
  images: z.number(),
  pages: z.array(ImportedPageReply),
  bounds: Box.nullable(),
})
export type ImportReply = z.infer<typeof ImportReply>
