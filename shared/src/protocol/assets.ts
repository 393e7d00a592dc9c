/**
 * Files on boards on the wire: `POST /api/links/<id>/assets` (editor; the raw file is the body)
 * answers 201 with where the file now lives. Refusals are the one error shape: 400 empty, 413 too
 * large, 415 type not accepted, 507 the board's storage is full. Owns: this schema.
 * Must not touch: the network, the asset URL's form (assets/assetUrls.ts).
 */
import { z } from 'zod'

/** 201: the file's SHA-256 (its id), its URL (`/api/assets/<roomId>/<sha256>`), type and size. */
export const AssetUploadReply = z.object({
  id: z.string(),
  url: z.string(),
  mimeType: z.string(),
  size: z.number(),
})
export type AssetUploadReply = z.infer<typeof AssetUploadReply>
