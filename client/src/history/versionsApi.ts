/** The version-history API as the client uses it (list, save, read one). */
import { type TLRecord, validateDocumentRecord } from '@drawbridge/shared'

export interface Version {
  id: string
  name: string | null
  kind: 'auto' | 'named'
  at: string
  actors: string[]
}

/** "Name — when · who" for lists and the preview bar. */
export function describeVersion(version: Version): string {
  const when = new Date(version.at).toLocaleString()
  const who = version.actors.length > 0 ? ` · ${version.actors.join(', ')}` : ''
  return `${version.name ?? 'Autosave'} — ${when}${who}`
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string }
    throw new Error(body.error ?? `The server answered ${response.status}.`)
  }
  return (await response.json()) as T
}

export async function listVersions(linkId: string): Promise<Version[]> {
  return (await json<{ versions: Version[] }>(await fetch(`/api/links/${linkId}/versions`))).versions
}

export async function saveVersion(linkId: string, name: string): Promise<Version> {
  return json<Version>(
    await fetch(`/api/links/${linkId}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    }),
  )
}

/** A version's records, validated like any record that reaches the editor. */
export async function versionRecords(linkId: string, versionId: string): Promise<TLRecord[]> {
  const { records } = await json<{ records: unknown[] }>(
    await fetch(`/api/links/${linkId}/versions/${versionId}`),
  )
  return records.flatMap((record) => {
    const checked = validateDocumentRecord(record)
    return checked.ok ? [checked.record] : []
  })
}
