/**
 * The conversation as everyone in the room sees it: prompts and co-pilot replies with names and
 * times, newest at the bottom; each finished job's reply offers "Undo this" to editors and its
 * draw.io export link. Read-only for viewers.
 * Owns: rendering the chat and the undo requests. Must not touch: writing to the doc.
 */

import type { ChatMessage } from '@drawbridge/shared'
import { useEffect, useRef, useState } from 'react'
import { ChatMessageText } from './ChatMessageText'
import { copilotApi } from './copilotApi'
import { describeError } from './copilotWords'

function formatTime(at: number): string {
  const date = new Date(at)
  if (Number.isNaN(date.getTime())) return ''
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  return date.toDateString() === new Date().toDateString() ? time : `${date.toLocaleDateString()} ${time}`
}

function isoTime(at: number): string | undefined {
  const date = new Date(at)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

type UndoState =
  | { status: 'undoing' }
  | { status: 'done'; removed: number }
  | { status: 'error'; text: string }

function UndoJob({ jobId, linkId }: { jobId: string; linkId: string }) {
  const [state, setState] = useState<UndoState>()
  const undo = async () => {
    setState({ status: 'undoing' })
    try {
      const { removed } = await copilotApi.undo(jobId, linkId)
      setState({ status: 'done', removed })
    } catch (caught) {
      setState({ status: 'error', text: describeError(caught) })
    }
  }
  return (
    <div className="copilot-actions">
      <button
        type="button"
        data-testid="copilot-undo"
        onClick={undo}
        disabled={state?.status === 'undoing' || state?.status === 'done'}
      >
        {state?.status === 'undoing' ? 'Undoing…' : 'Undo this'}
      </button>
      {state?.status === 'done' && (
        <span role="status">
          {state.removed === 0
            ? 'Nothing left to undo'
            : `Undone — ${state.removed} ${state.removed === 1 ? 'shape' : 'shapes'} removed`}
        </span>
      )}
      {state?.status === 'error' && (
        <span className="error" role="alert">
          {state.text}
        </span>
      )}
    </div>
  )
}

export function ChatHistory(props: { messages: ChatMessage[]; linkId: string; canEdit: boolean }) {
  const { messages, linkId, canEdit } = props
  const list = useRef<HTMLOListElement>(null)
  // Keep the newest message in view as the conversation grows.
  useEffect(() => {
    const element = list.current
    if (element && messages.length > 0) element.scrollTop = element.scrollHeight
  }, [messages.length])

  if (messages.length === 0) {
    return (
      <p className="copilot-empty" data-testid="copilot-chat-empty">
        No messages yet.{' '}
        {canEdit &&
          'Describe a diagram, or paste a Mermaid flowchart (graph LR …) — it works without a model.'}
      </p>
    )
  }
  return (
    <ol ref={list} className="copilot-chat" role="log" aria-label="Conversation" data-testid="copilot-chat">
      {messages.map((message) => (
        <li
          key={message.id}
          className="copilot-message"
          data-kind={message.author.kind}
          data-job-id={message.jobId}
          data-testid="copilot-message"
        >
          <div className="copilot-meta">
            <span className="copilot-author">{message.author.name || 'Someone'}</span>
            <time dateTime={isoTime(message.at)}>{formatTime(message.at)}</time>
          </div>
          <ChatMessageText text={message.text} linkId={linkId} />
          {canEdit && message.author.kind === 'ai' && message.jobId && message.undoable !== false && (
            <UndoJob jobId={message.jobId} linkId={linkId} />
          )}
        </li>
      ))}
    </ol>
  )
}
