/**
 * The board's top-right corner: connection status (with "changes kept on this device" offline),
 * the view-only badge, the people menu, and — for editors — the share links with copy buttons.
 */

import type { TLRecord } from '@drawbridge/shared'
import { createContext, useContext, useState, useSyncExternalStore } from 'react'
import { PeopleMenu } from 'tldraw'
import { HistoryPanel } from '../history/HistoryPanel'
import type { Version } from '../history/versionsApi'
import { deviceStore, type LinkInfo } from '../offline/deviceStore'
import type { RoomConnection } from '../sync/roomConnection'

const STATUS_TEXT = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline — changes kept on this device',
} as const

function CopyRow({ label, url }: { label: string; url: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    await navigator.clipboard.writeText(url).catch(() => undefined)
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return (
    <div className="row">
      <label>
        {label}
        <input
          readOnly
          value={url}
          aria-label={`${label} link`}
          onFocus={(event) => event.currentTarget.select()}
        />
      </label>
      <button type="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  )
}

function ShareLinks({ info }: { info: LinkInfo }) {
  const [open, setOpen] = useState(false)
  const owned = deviceStore.owned(info.roomId)
  const here = `${window.location.origin}/r/${info.linkId}`
  const viewUrl = owned ? `${window.location.origin}/r/${owned.links.view.id}` : undefined
  return (
    <div className="share-links">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Share
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Share this board">
          <CopyRow
            label="Can edit"
            url={owned ? `${window.location.origin}/r/${owned.links.edit.id}` : here}
          />
          {viewUrl ? (
            <CopyRow label="View only" url={viewUrl} />
          ) : (
            <p>Only the board's owner can see its view-only link.</p>
          )}
        </div>
      )}
    </div>
  )
}

interface ChromeProps {
  info: LinkInfo
  connection: RoomConnection
  readOnly: boolean
  /** Shows a version over the board (see history/VersionPreview). */
  onPreview: (version: Version, records: TLRecord[]) => void
}

export const BoardChromeContext = createContext<ChromeProps | undefined>(undefined)

/** The component tldraw renders in its share-panel slot. */
export function BoardChromeSlot() {
  const props = useContext(BoardChromeContext)
  return props ? <BoardChrome {...props} /> : null
}

function BoardChrome(props: ChromeProps) {
  const { status } = useSyncExternalStore(props.connection.subscribe, props.connection.getSnapshot)
  return (
    <div className="board-chrome">
      <span className="status" data-status={status} data-testid="connection-status">
        {STATUS_TEXT[status]}
      </span>
      {props.readOnly && (
        <span className="badge-view-only" data-testid="view-only-badge">
          View only
        </span>
      )}
      <HistoryPanel linkId={props.info.linkId} canEdit={!props.readOnly} onPreview={props.onPreview} />
      <PeopleMenu />
      {props.info.role === 'editor' && <ShareLinks info={props.info} />}
    </div>
  )
}
