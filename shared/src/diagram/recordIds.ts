/**
 * Deterministic record ids for what a job draws: the same key prefix and diagram ids give the same
 * record ids, so re-running a job overwrites its shapes instead of drawing them twice. Owns: id
 * hashing and sanitising. Must not touch: record contents, I/O.
 */
import { createBindingId, createShapeId, type TLBindingId, type TLShapeId } from '@tldraw/tlschema'

/** FNV-1a (32-bit) of a string, base 36: short, stable, not cryptographic. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(36)
}

/** Up to 32 id-safe characters of `text` (letters, digits, `_`, `-`). */
export function sanitiseIdPart(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32)
}

/** `kind` keeps a node, a group and an edge with the same diagram id apart. */
export function jobShapeId(
  keyPrefix: string,
  kind: 'node' | 'group' | 'edge' | 'title',
  id: string,
): TLShapeId {
  const readable = sanitiseIdPart(id)
  return createShapeId(
    `${keyPrefix}${kind === 'node' ? '' : `${kind}-`}${readable}${readable ? '_' : ''}${shortHash(`${kind}:${id}`)}`,
  )
}

/** The two binding ids of an arrow, derived from the arrow's id. */
export function arrowBindingIds(arrowId: TLShapeId): { start: TLBindingId; end: TLBindingId } {
  const base = arrowId.slice('shape:'.length)
  return { start: createBindingId(`${base}-start`), end: createBindingId(`${base}-end`) }
}
