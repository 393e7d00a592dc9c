/**
 * The version-history API as the client uses it (list, save, read one); requests and replies are
 * the shared contracts (`@drawbridge/shared`, protocol/versions.ts).
 */
import {
  type SaveVersionBody,
  type TLRecord,
  Version,
  VersionRecordsReply,
  VersionsReply,
  validateDocumentRecord,
} from '@drawbridge/shared'
import { authHeaders } from '../account/session'
import { readReply } from '../app/api'

export type { Version } from '@drawbridge/shared'

/** "Name — when · who" for lists and the preview bar. */
export function describeVersion(version: Version): string {
  const when = new Date(version.at).toLocaleString()
  const who = version.actors.length > 0 ? ` · ${version.actors.join(', ')}` : ''
  return `${version.name ?? 'Autosave'} — ${when}${who}`
}

export async function listVersions(linkId: string): Promise<Version[]> {
  const response = await fetch(`/api/links/${linkId}/versions`, { headers: authHeaders() })
  return (await readReply(response, VersionsReply)).versions
}

export async function saveVersion(linkId: string, name: string): Promise<Version> {
  const body: SaveVersionBody = { name }
  const response = await fetch(`/api/links/${linkId}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify(body),
  })
  return readReply(response, Version)
}

/** A version's records, validated like any record that reaches the editor. */
export async function versionRecords(linkId: string, versionId: string): Promise<TLRecord[]> {
  const response = await fetch(`/api/links/${linkId}/versions/${versionId}`, { headers: authHeaders() })
  const { records } = await readReply(response, VersionRecordsReply)
  return records.flatMap((record) => {
    const checked = validateDocumentRecord(record)
    return checked.ok ? [checked.record] : []
  })
}
