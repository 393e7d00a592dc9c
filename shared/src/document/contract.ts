/**
 * The document contract (docs/architecture.md, document layout) as checks on single values: what a `records` entry, a
 * `meta` entry and a `chat` message must be. The server refuses updates that break it; readers use
 * the same checks to skip what they cannot read. Pure: no Yjs, no sockets, never throws.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { z } from 'zod'
import { validateDocumentRecord } from './schema'

/** A chat message: `{ id, at, author: { id, name, kind }, text, jobId?, undoable? }`. */
export const ChatMessageSchema = z.object({
  id: z.string().min(1).max(200),
  at: z.number().finite(),
  author: z.object({
    id: z.string().max(200),
    name: z.string().max(200),
    kind: z.enum(['human', 'ai']),
  }),
  text: z.string().max(100_000),
  jobId: z.string().min(1).max(200).optional(),
  /** On a co-pilot's reply: whether its job changed the board (false: no "Undo this"). */
  undoable: z.boolean().optional(),
})
export type ChatMessage = z.infer<typeof ChatMessageSchema>

/** Longest room title `meta.title` may hold. */
export const MAX_TITLE_CHARS = 1_000

export type ContractCheck<T> = { ok: true; value: T } | { ok: false; error: string }

/** A plain JSON object (not null, not an array, not a Y type or a byte array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** Checks one `records` array item: `{ key, val }` with `val` a valid document record whose id is `key`. */
export function checkRecordEntry(entry: unknown): ContractCheck<TLRecord> {
  if (!isPlainObject(entry)) return { ok: false, error: 'records entry is not a plain object' }
  if (typeof entry.key !== 'string') return { ok: false, error: 'records entry has no string key' }
  const checked = validateDocumentRecord(entry.val)
  if (!checked.ok) return { ok: false, error: `record ${entry.key}: ${checked.error}` }
  if (checked.record.id !== entry.key) return { ok: false, error: `record key ${entry.key} is not its id` }
  return { ok: true, value: checked.record }
}

/** Checks one `chat` array item. */
export function checkChatMessage(value: unknown): ContractCheck<ChatMessage> {
  if (!isPlainObject(value)) return { ok: false, error: 'chat entry is not a plain object' }
  const parsed = ChatMessageSchema.safeParse(value)
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: `chat entry: ${parsed.error.issues[0]?.message ?? 'invalid'}` }
}

/** Checks one `meta` entry: `title` is a string, `schema` a serialized tldraw schema; nothing else. */
export function checkMetaEntry(key: string, value: unknown): ContractCheck<unknown> {
  if (key === 'title') {
    return typeof value === 'string' && value.length <= MAX_TITLE_CHARS
      ? { ok: true, value }
      : { ok: false, error: 'meta.title is not a string of at most 1000 characters' }
  }
  if (key === 'schema') {
    return isPlainObject(value) && typeof value.schemaVersion === 'number'
      ? { ok: true, value }
      : { ok: false, error: 'meta.schema is not a serialized schema' }
  }
  return { ok: false, error: `meta.${key.slice(0, 40)} is not part of the document` }
}
