/**
 * The co-pilot panel in the board chrome: a toggle button and, when open, the conversation, what
 * the co-pilot is doing (queue position, progress, "Co-pilot is drawing…" in a live region), errors
 * in words, the plan's remaining quota and the prompt box. Viewers get the conversation only.
 * It stays open while people draw (not modal); Escape inside it closes it and returns focus.
 * Owns: composing the panel. Must not touch: the doc's records, the presence binding.
 */

import { COPILOT_NAME } from '@drawbridge/shared'
import { useEffect, useId, useRef, useState } from 'react'
import { TldrawUiButton, TldrawUiButtonLabel, useEditor } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { ChatHistory } from './ChatHistory'
import { CopilotRequestError } from './copilotApi'
import { describeError, describeJob, describeQuota, planName } from './copilotWords'
import { isFinished } from './jobEvents'
import { PromptBox } from './PromptBox'
import { seenPageBox, showDrawing } from './requesterView'
import { useAiPeers } from './useAiPeer'
import { useChat } from './useChat'
import { type CopilotError, useCopilotJobs } from './useCopilotJobs'

/** Re-renders every `ms` while `active`, for countdowns. */
function useNow(active: boolean, ms: number): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    if (!active) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [active, ms])
  return now
}

function ErrorLine({ error }: { error: CopilotError }) {
  const counting = error.cause instanceof CopilotRequestError && error.cause.retryAfterSeconds !== undefined
  const now = useNow(counting, 15_000)
  return (
    <p className="error copilot-error" role="alert" data-testid="copilot-error">
      {describeError(error.cause, Math.max(0, (now - error.at) / 1000))}
    </p>
  )
}

export function CopilotPanel(props: { linkId: string; doc: Y.Doc; awareness: Awareness; canEdit: boolean }) {
  const { linkId, doc, awareness, canEdit } = props
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const messages = useChat(doc)
  const copilots = useAiPeers(awareness)
  const editor = useEditor()
  const copilot = useCopilotJobs(linkId, canEdit, open, {
    describe: () => ({ viewport: seenPageBox(editor), authorName: editor.user.getName() }),
    onDrawn: (bounds) => showDrawing(editor, bounds),
  })
  // The co-pilot's cursor lingers a moment on a finished drawing: once this person's jobs are all
  // finished it is no longer "drawing". Other AI peers (MCP clients) stay for their whole session.
  const mineFinished = copilot.jobs.length > 0 && copilot.jobs.every(isFinished)
  const copilotDrawing = copilots.includes(COPILOT_NAME) && !mineFinished
  const otherAi = copilots.filter((name) => name !== COPILOT_NAME)
  const working = copilotDrawing || copilot.jobs.some((job) => job.status === 'running')
  const toggle = useRef<HTMLButtonElement>(null)
  const close = () => {
    setOpen(false)
    toggle.current?.focus()
  }

  return (
    <div className="share-links copilot">
      <TldrawUiButton
        ref={toggle}
        type="normal"
        className="chrome-button copilot-toggle"
        data-testid="copilot-toggle"
        data-working={working}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen(!open)}
      >
        <TldrawUiButtonLabel>Co-pilot</TldrawUiButtonLabel>
      </TldrawUiButton>
      {open && (
        <section
          id={panelId}
          className="popover copilot-panel"
          aria-label="Co-pilot"
          data-testid="copilot-panel"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return
            event.stopPropagation()
            close()
          }}
        >
          <header className="copilot-header">
            <h2>Co-pilot</h2>
            {canEdit && copilot.quota && (
              <span className="copilot-quota" data-testid="copilot-quota" title={planName(copilot.quota)}>
                {describeQuota(copilot.quota)}
              </span>
            )}
            <button type="button" className="copilot-close" aria-label="Close the co-pilot" onClick={close}>
              ×
            </button>
          </header>
          <ChatHistory messages={messages} linkId={linkId} canEdit={canEdit} />
          <div className="copilot-status" role="status" aria-live="polite" data-testid="copilot-status">
            {copilotDrawing && (
              <p className="copilot-drawing" data-testid="copilot-drawing">
                {COPILOT_NAME} is drawing…
              </p>
            )}
            {otherAi.length > 0 && (
              <p className="copilot-drawing" data-testid="copilot-peers">
                {otherAi.join(', ')} {otherAi.length === 1 ? 'is' : 'are'} on the board
              </p>
            )}
            {canEdit &&
              copilot.jobs.map((job) => (
                <p
                  key={job.id}
                  className="copilot-job"
                  data-testid="copilot-job"
                  data-status={job.status}
                  data-job-id={job.id}
                >
                  {describeJob(job)}
                </p>
              ))}
          </div>
          {canEdit ? (
            <>
              {copilot.error && <ErrorLine error={copilot.error} />}
              <PromptBox sending={copilot.sending} onSend={copilot.send} />
            </>
          ) : (
            <p className="copilot-view-only" data-testid="copilot-view-only">
              View only: editors can ask the co-pilot to draw.
            </p>
          )}
        </section>
      )}
    </div>
  )
}
