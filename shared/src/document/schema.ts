/**
 * The tldraw schema Drawbridge documents are written with, and the rules for which records may
 * enter the shared Y.Doc. Owns: record validation and the "is this a document record" decision.
 * Must not touch: Yjs, sockets, storage.
 */
import { createTLSchema, type TLRecord } from '@tldraw/tlschema'

/** The one schema every peer (browser, server, agent) validates records against. */
export const drawbridgeSchema = createTLSchema()

/**
 * Record types that live in the shared document. tldraw 5's `user` record is document-scope but
 * personal, and camera/instance/pointer/presence are session-scope: none of them enter the doc.
 */
export const DOCUMENT_RECORD_TYPES: ReadonlySet<string> = new Set([
  'document',
  'page',
  'shape',
  'binding',
  'asset',
])

/** True when a record belongs in the shared document. */
export function isDocumentRecord(record: { typeName: string }): boolean {
  return DOCUMENT_RECORD_TYPES.has(record.typeName)
}

export type RecordValidation = { ok: true; record: TLRecord } | { ok: false; error: string }

/** Validates an untrusted value as a document record of the current schema. Never throws. */
export function validateDocumentRecord(value: unknown): RecordValidation {
  if (typeof value !== 'object' || value === null) return { ok: false, error: 'record is not an object' }
  const typeName = (value as { typeName?: unknown }).typeName
  if (typeof typeName !== 'string' || !DOCUMENT_RECORD_TYPES.has(typeName)) {
    return { ok: false, error: `record type ${String(typeName)} is not allowed in the document` }
  }
  const recordType = drawbridgeSchema.types[typeName as keyof typeof drawbridgeSchema.types]
  try {
    const record = recordType.validate(value) as TLRecord
    return { ok: true, record }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
