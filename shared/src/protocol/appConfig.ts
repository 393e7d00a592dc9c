/**
 * `GET /api/config`: what the client learns at run time — whether accounts exist (Supabase's
 * public settings), the tldraw licence key, and the limits it checks before sending a file (the
 * server enforces them either way). Owns: this schema. Must not touch: the server's own config.
 */
import { z } from 'zod'

/** Supabase's public settings (URL and anon key), enough to offer sign-in. */
export const PublicAuth = z.object({ supabaseUrl: z.string(), supabaseAnonKey: z.string() })
export type PublicAuth = z.infer<typeof PublicAuth>

export const ConfigReply = z.object({
  /** Null when the server has no accounts. */
  auth: PublicAuth.nullable(),
  tldrawLicenseKey: z.string().nullable(),
  /** Largest file on a board and largest draw.io import, in bytes. */
  limits: z.object({ maxAssetBytes: z.number().positive(), maxImportBytes: z.number().positive() }),
})
export type ConfigReply = z.infer<typeof ConfigReply>
