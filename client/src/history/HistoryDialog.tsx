/**
 * The History dialog (a tldraw dialog): the board's versions, newest first with who was active, and
 * for editors "Save version", which asks for a name in a second dialog. Choosing a version closes
 * the dialog and hands it to `onPreview`; the board shows it (VersionPreview).
 */
import type { TLRecord } from '@drawbridge/shared'
import { useCallback, useEffect, useState } from 'react'
import {
  TldrawUiButton,
  TldrawUiButtonLabel,
  TldrawUiDialogBody,
  TldrawUiDialogCloseButton,
  TldrawUiDialogHeader,
  TldrawUiDialogTitle,
  useDialogs,
  useToasts,
} from 'tldraw'
import { SaveVersionDialog } from './SaveVersionDialog'
import { describeVersion, listVersions, type Version, versionRecords } from './versionsApi'

export interface HistoryDialogProps {
  linkId: string
  canEdit: boolean
  onPreview: (version: Version, records: TLRecord[]) => void
  onClose: () => void
}

/** An error in words; a network failure ("Failed to fetch") says what it means. */
function message(caught: unknown): string {
  if (caught instanceof TypeError) return 'Could not reach the server: versions are kept there.'
  return caught instanceof Error ? caught.message : String(caught)
}

const OFFLINE_TEXT = 'Offline: the version history is kept on the server and shows when you are back online.'

export function HistoryDialog({ linkId, canEdit, onPreview, onClose }: HistoryDialogProps) {
  const [versions, setVersions] = useState<Version[]>()
  const [error, setError] = useState<string>()
  const { addDialog } = useDialogs()
  const { addToast } = useToasts()

  const [online] = useState(() => navigator.onLine)
  const refresh = useCallback(
    () =>
      listVersions(linkId).then(
        (next) => {
          setError(undefined)
          setVersions(next)
        },
        (caught: unknown) => setError(message(caught)),
      ),
    [linkId],
  )
  useEffect(() => {
    if (online) void refresh()
  }, [online, refresh])

  const openVersion = async (version: Version) => {
    try {
      onPreview(version, await versionRecords(linkId, version.id))
      onClose()
    } catch (caught) {
      addToast({ severity: 'error', title: 'Could not open this version', description: message(caught) })
    }
  }

  return (
    <>
      <TldrawUiDialogHeader>
        <TldrawUiDialogTitle>Version history</TldrawUiDialogTitle>
        <TldrawUiDialogCloseButton />
      </TldrawUiDialogHeader>
      <TldrawUiDialogBody className="app-dialog history-dialog">
        {canEdit && online && (
          <TldrawUiButton
            type="primary"
            onClick={() =>
              addDialog({
                component: ({ onClose: closeSave }) => (
                  <SaveVersionDialog linkId={linkId} onClose={closeSave} onSaved={() => void refresh()} />
                ),
              })
            }
          >
            <TldrawUiButtonLabel>Save version</TldrawUiButtonLabel>
          </TldrawUiButton>
        )}
        {!online ? (
          <p className="hint">{OFFLINE_TEXT}</p>
        ) : error ? (
          <p className="error">{error}</p>
        ) : versions === undefined ? (
          <p>Loading…</p>
        ) : versions.length === 0 ? (
          <p className="hint">No versions yet: they are kept as the board changes.</p>
        ) : (
          <ul className="version-list">
            {versions.map((version) => (
              <li key={version.id}>
                <TldrawUiButton type="menu" onClick={() => void openVersion(version)}>
                  <TldrawUiButtonLabel>{describeVersion(version)}</TldrawUiButtonLabel>
                </TldrawUiButton>
              </li>
            ))}
          </ul>
        )}
      </TldrawUiDialogBody>
    </>
  )
}
