/**
 * A chat message's text with the draw.io export links it mentions (same-origin `/api/….drawio`
 * paths, as the server writes them) turned into download links that carry this person's
 * credentials. Nothing else in a message becomes a link: anyone in the room can write to the chat.
 * Owns: rendering one message text. Must not touch: the doc, the network beyond the download.
 */
import { useState } from 'react'
import { downloadExport } from './copilotApi'
import { describeError } from './copilotWords'

const EXPORT_LINK = /((?:https?:\/\/[^\s/]+)?\/api\/[A-Za-z0-9_\-/.]+\.drawio(?:\?[A-Za-z0-9=&_-]*)?)/g

/** The same-origin path of a matched link, or undefined when it points elsewhere. */
function sameOriginPath(match: string): string | undefined {
  if (match.startsWith('/')) return match
  const url = new URL(match)
  return url.origin === window.location.origin ? `${url.pathname}${url.search}` : undefined
}

export function ChatMessageText({ text, linkId }: { text: string; linkId: string }) {
  const [error, setError] = useState<string>()
  const parts = text.split(EXPORT_LINK)
  return (
    <p className="copilot-text">
      {parts.map((part, index) => {
        // split() with a capturing group puts the matches at odd indexes.
        const path = index % 2 === 1 ? sameOriginPath(part) : undefined
        if (!path) return part
        return (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text never reorder
            key={index}
            href={path}
            download
            data-testid="copilot-export"
            title={path}
            onClick={(event) => {
              event.preventDefault()
              setError(undefined)
              downloadExport(path, linkId).catch((caught: unknown) => setError(describeError(caught)))
            }}
          >
            download (.drawio)
          </a>
        )
      })}
      {error && (
        <span className="error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </p>
  )
}
