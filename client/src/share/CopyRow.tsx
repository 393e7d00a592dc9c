/** A link in a read-only field with a Copy button; copying says so in a toast. */
import { TldrawUiButton, TldrawUiButtonLabel, useToasts } from 'tldraw'

export function CopyRow({ label, url }: { label: string; url: string }) {
  const { addToast } = useToasts()
  const copy = async () => {
    const copied = await navigator.clipboard.writeText(url).then(
      () => true,
      () => false,
    )
    addToast(
      copied
        ? { severity: 'success', title: `${label} link copied` }
        : { severity: 'warning', title: 'Could not copy: select the link and copy it yourself' },
    )
  }
  return (
    <div className="row">
      <label className="copy-row">
        <span>{label}</span>
        <input
          className="field"
          readOnly
          value={url}
          aria-label={`${label} link`}
          onFocus={(event) => event.currentTarget.select()}
        />
      </label>
      <TldrawUiButton type="normal" onClick={copy}>
        <TldrawUiButtonLabel>Copy</TldrawUiButtonLabel>
      </TldrawUiButton>
    </div>
  )
}
