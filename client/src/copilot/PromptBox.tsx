/**
 * The prompt box: Enter sends, Shift+Enter starts a new line; the shapes selected on the canvas go
 * along as the co-pilot's focus, and a text, Markdown, Mermaid or CSV file can go along to be drawn.
 * Keeps the text when sending fails so nothing typed is lost.
 * Owns: the draft prompt and attachment. Must not touch: the doc, the editor beyond reading the selection.
 */
import { type ChangeEvent, type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { ATTACHMENT_MAX, type Attachment, PROMPT_MAX } from './copilotApi'

const ATTACHABLE = '.txt,.md,.markdown,.mmd,.mermaid,.csv,.tsv,text/plain,text/markdown,text/csv'

export function PromptBox(props: {
  sending: boolean
  onSend: (prompt: string, selection: string[], attachment?: Attachment) => Promise<boolean>
}) {
  const editor = useEditor()
  const id = useId()
  const fileInput = useRef<HTMLInputElement>(null)
  const [draft, setDraft] = useState('')
  const [attachment, setAttachment] = useState<Attachment>()
  const [fileProblem, setFileProblem] = useState<string>()
  const selected = useValue('copilot selection', () => editor.getSelectedShapeIds().length, [editor])
  const prompt = draft.trim()
  const tooLong = draft.length > PROMPT_MAX
  const canSend = (prompt.length > 0 || attachment !== undefined) && !tooLong && !props.sending

  const submit = async (event?: FormEvent) => {
    event?.preventDefault()
    if (!canSend) return
    const sent = await props.onSend(prompt, [...editor.getSelectedShapeIds()], attachment)
    if (sent) {
      setDraft('')
      setAttachment(undefined)
    }
  }

  const attach = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    event.target.value = ''
    setFileProblem(undefined)
    if (!file) return
    const text = await file.text().catch(() => '')
    if (text.trim() === '') setFileProblem(`${file.name} is empty or not text.`)
    else if (text.length > ATTACHMENT_MAX)
      setFileProblem(`${file.name} is too large (at most 256 KB of text).`)
    else setAttachment({ name: file.name.slice(0, 200), text })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      void submit()
    }
  }

  return (
    <form className="copilot-prompt" onSubmit={submit}>
      <label htmlFor={id}>Ask the co-pilot</label>
      <textarea
        id={id}
        data-testid="copilot-prompt"
        value={draft}
        rows={3}
        placeholder="Draw our checkout flow… or paste a Mermaid flowchart"
        aria-describedby={`${id}-hint`}
        aria-invalid={tooLong}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="copilot-prompt-row">
        <input
          ref={fileInput}
          type="file"
          accept={ATTACHABLE}
          hidden
          data-testid="copilot-file-input"
          onChange={(event) => void attach(event)}
        />
        {attachment ? (
          <span className="copilot-attachment" data-testid="copilot-attachment">
            {attachment.name}
            <button
              type="button"
              aria-label={`Remove ${attachment.name}`}
              onClick={() => setAttachment(undefined)}
            >
              ×
            </button>
          </span>
        ) : (
          <button type="button" className="copilot-attach" onClick={() => fileInput.current?.click()}>
            Attach file
          </button>
        )}
      </div>
      {fileProblem && (
        <p role="alert" className="copilot-hint copilot-file-problem">
          {fileProblem}
        </p>
      )}
      <div className="copilot-prompt-row">
        <span id={`${id}-hint`} className="copilot-hint">
          {tooLong
            ? `Too long: ${draft.length} of ${PROMPT_MAX} characters`
            : attachment
              ? `Enter sends · ${attachment.name} becomes a diagram`
              : selected > 0
                ? `Enter sends · about the ${selected} selected ${selected === 1 ? 'shape' : 'shapes'}`
                : 'Enter sends · Shift+Enter for a new line'}
        </span>
        <button type="submit" data-testid="copilot-send" disabled={!canSend}>
          {props.sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  )
}
