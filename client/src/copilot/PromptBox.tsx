/**
 * The prompt box: Enter sends, Shift+Enter starts a new line; the shapes selected on the canvas go
 * along as the co-pilot's focus. Keeps the text when sending fails so nothing typed is lost.
 * Owns: the draft prompt. Must not touch: the doc, the editor beyond reading the selection.
 */
import { type FormEvent, type KeyboardEvent, useId, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { PROMPT_MAX } from './copilotApi'

export function PromptBox(props: {
  sending: boolean
  onSend: (prompt: string, selection: string[]) => Promise<boolean>
}) {
  const editor = useEditor()
  const id = useId()
  const [draft, setDraft] = useState('')
  const selected = useValue('copilot selection', () => editor.getSelectedShapeIds().length, [editor])
  const prompt = draft.trim()
  const tooLong = draft.length > PROMPT_MAX
  const canSend = prompt.length > 0 && !tooLong && !props.sending

  const submit = async (event?: FormEvent) => {
    event?.preventDefault()
    if (!canSend) return
    const sent = await props.onSend(prompt, [...editor.getSelectedShapeIds()])
    if (sent) setDraft('')
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
        <span id={`${id}-hint`} className="copilot-hint">
          {tooLong
            ? `Too long: ${draft.length} of ${PROMPT_MAX} characters`
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
