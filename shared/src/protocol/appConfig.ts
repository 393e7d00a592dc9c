/**
 * `GET /api/config`: what the client learns at run time — whether accounts exist (Supabase's
 * public settings), the tldraw licence key, and the limits it checks before sending a file or a
 * change (the server enforces them either way). Owns: this schema. Must not touch: the server's own config.
 */
import { z } from 'zod'

/** Supabase's public settings (URL and anon key), enough to offer sign-in. */
export const PublicAuth = z.object({ supabaseUrl: z.string(), supabaseAnonKey: z.string() })
export type PublicAuth = z.infer<typeof PublicAuth>

export const ConfigReply = z.object({
  /** Null when the server has no accounts. */
  auth: PublicAuth.nullable(),
  tldrawLicenseKey: z.string().nullable(),
  limits: z.object({
    /** Largest file on a board, in bytes. */
    maxAssetBytes: z.number().positive(),
    /** Largest draw.io import, in bytes. */
    maxImportBytes: z.number().positive(),
    /** Largest document update the server accepts (`MAX_UPDATE_BYTES`; above it, close code 4413). */
    maxUpdateBytes: z.number().int().positive(),
  }),
})
export type ConfigReply = z.infer<typeof ConfigReply>
