/**
 * The History panel: the board's versions (newest first, with who was active) and "Save version"
 * for editors. Choosing a version hands it to `onPreview`; the board shows it (VersionPreview).
 */
import type { TLRecord } from '@drawbridge/shared'
import { useCallback, useEffect, useState } from 'react'
import { describeVersion, listVersions, saveVersion, type Version, versionRecords } from './versionsApi'

export function HistoryPanel(props: {
  linkId: string
  canEdit: boolean
  onPreview: (version: Version, records: TLRecord[]) => void
}) {
  const { linkId, canEdit, onPreview } = props
  const [open, setOpen] = useState(false)
  const [versions, setVersions] = useState<Version[]>()
  const [error, setError] = useState<string>()

  const refresh = useCallback(
    () =>
      listVersions(linkId).then(setVersions, (caught: unknown) =>
        setError(caught instanceof Error ? caught.message : String(caught)),
      ),
    [linkId],
  )
  useEffect(() => {
    if (open) void refresh()
  }, [open, refresh])

  const onSave = async () => {
    const name = window.prompt('Name this version', `Saved ${new Date().toLocaleString()}`)
    if (!name?.trim()) return
    // The server's own words for a refusal (429 too many saves, 507 the board's versions are full).
    await saveVersion(linkId, name.trim()).then(
      () => setError(undefined),
      (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught)),
    )
    await refresh()
  }

  return (
    <div className="share-links">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        History
      </button>
      {open && (
        <div className="popover history" role="dialog" aria-label="Version history">
          {canEdit && (
            <button type="button" onClick={onSave}>
              Save version
            </button>
          )}
          {error && <p className="error">{error}</p>}
          {versions === undefined ? (
            <p>Loading…</p>
          ) : versions.length === 0 ? (
            <p>No versions yet: they are kept as the board changes.</p>
          ) : (
            <ul className="version-list">
              {versions.map((version) => (
                <li key={version.id}>
                  <button
                    type="button"
                    onClick={async () => {
                      onPreview(version, await versionRecords(linkId, version.id))
                      setOpen(false)
                    }}
                  >
                    {describeVersion(version)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}
