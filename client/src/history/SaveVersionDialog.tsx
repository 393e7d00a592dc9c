/** "Save version": a tldraw dialog asking for the version's name (Enter saves, Escape cancels). */
import { useState } from 'react'
import {
  TldrawUiButton,
  TldrawUiButtonLabel,
  TldrawUiDialogBody,
  TldrawUiDialogCloseButton,
  TldrawUiDialogFooter,
  TldrawUiDialogHeader,
  TldrawUiDialogTitle,
  TldrawUiInput,
  useToasts,
} from 'tldraw'
import { saveVersion } from './versionsApi'

/** Longest version name the server accepts. */
const MAX_VERSION_NAME_CHARS = 200

export function SaveVersionDialog(props: { linkId: string; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(() => `Saved ${new Date().toLocaleString()}`)
  const [saving, setSaving] = useState(false)
  const { addToast } = useToasts()

  const save = async () => {
    const trimmed = name.trim()
    if (!trimmed || saving) return
    setSaving(true)
    try {
      await saveVersion(props.linkId, trimmed)
      props.onSaved()
      props.onClose()
    } catch (caught) {
      setSaving(false)
      addToast({
        severity: 'error',
        title: 'The version was not saved',
        description: caught instanceof Error ? caught.message : String(caught),
      })
    }
  }

  return (
    <>
      <TldrawUiDialogHeader>
        <TldrawUiDialogTitle>Save a version</TldrawUiDialogTitle>
        <TldrawUiDialogCloseButton />
      </TldrawUiDialogHeader>
      <TldrawUiDialogBody className="app-dialog">
        <TldrawUiInput
          aria-label="Version name"
          defaultValue={name}
          maxLength={MAX_VERSION_NAME_CHARS}
          autoFocus
          autoSelect
          onValueChange={setName}
          onComplete={() => void save()}
        />
      </TldrawUiDialogBody>
      <TldrawUiDialogFooter className="tlui-dialog__footer__actions">
        <TldrawUiButton type="normal" onClick={props.onClose}>
          <TldrawUiButtonLabel>Cancel</TldrawUiButtonLabel>
        </TldrawUiButton>
        <TldrawUiButton type="primary" onClick={() => void save()} disabled={!name.trim() || saving}>
          <TldrawUiButtonLabel>Save</TldrawUiButtonLabel>
        </TldrawUiButton>
      </TldrawUiDialogFooter>
    </>
  )
}
