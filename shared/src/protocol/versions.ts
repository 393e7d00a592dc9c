/**
 * Version history on the wire: list a board's versions, save a named one, read one (for a
 * read-only preview) and restore one, under `/api/links/<id>/versions`. Owns: these schemas.
 * Must not touch: the network; a version's records are checked as any record is (document/schema).
 */
import { z } from 'zod'
import { Moment } from './fields'

/** `auto`: kept as the board changes; `named`: saved by someone (counts against the quota). */
export const VersionKind = z.enum(['auto', 'named'])
export type VersionKind = z.infer<typeof VersionKind>

/** Longest version name, and longest restorer's name, in characters (after trimming). */
export const VERSION_NAME_MAX = 200
export const RESTORER_NAME_MAX = 64

/** One version: `name` is null for automatic ones; `actors` are who edited (presence names). */
export const Version = z.object({
  id: z.string(),
  name: z.string().nullable(),
  kind: VersionKind,
  at: Moment,
  actors: z.array(z.string()),
})
export type Version = z.infer<typeof Version>

/** `GET /api/links/<id>/versions`: newest first. */
export const VersionsReply = z.object({ versions: z.array(Version) })
export type VersionsReply = z.infer<typeof VersionsReply>

/** `POST /api/links/<id>/versions` (editor): save the board as it is now; 201 answers the `Version`. */
export const SaveVersionBody = z.object({ name: z.string().trim().min(1).max(VERSION_NAME_MAX) }).strict()
export type SaveVersionBody = z.input<typeof SaveVersionBody>

/**
 * `GET /api/links/<id>/versions/<versionId>`: the version's records. Each is validated by the
 * reader as any record reaching an editor is (`validateDocumentRecord`), so the contract leaves
 * them unknown.
 */
export const VersionRecordsReply = z.object({ records: z.array(z.unknown()) })
export type VersionRecordsReply = z.infer<typeof VersionRecordsReply>

/** `POST /api/links/<id>/versions/<versionId>/restore` (editor): who restores, for the "Before restore" version. */
export const RestoreBody = z.object({ by: z.string().trim().max(RESTORER_NAME_MAX).optional() }).strict()
export type RestoreBody = z.input<typeof RestoreBody>

/** Its answer: the version restored and how many records were put and removed. */
export const RestoreReply = z.object({ restored: z.string(), put: z.number(), removed: z.number() })
export type RestoreReply = z.infer<typeof RestoreReply>
