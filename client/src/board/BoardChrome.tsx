/**
 * The board's top-right corner: connection status (with "changes kept on this device" offline),
 * the view-only badge, the co-pilot, the history, the people menu, and — for editors — the share links
 * with copy buttons.
 */

import type { TLRecord } from '@drawbridge/shared'
import { createContext, useContext, useSyncExternalStore } from 'react'
import { PeopleMenu } from 'tldraw'
import { CopilotPanel } from '../copilot/CopilotPanel'
import { HistoryPanel } from '../history/HistoryPanel'
import type { Version } from '../history/versionsApi'
import type { LinkInfo } from '../offline/deviceStore'
import { ShareDialog } from '../share/ShareDialog'
import type { RoomConnection } from '../sync/roomConnection'

const STATUS_TEXT = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline — changes kept on this device',
} as const

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
  const { status, notice } = useSyncExternalStore(props.connection.subscribe, props.connection.getSnapshot)
  return (
    <div className="board-chrome">
      <span className="status" data-status={status} data-testid="connection-status" title={notice}>
        {status === 'connecting' && notice
          ? `${notice} Changes are kept on this device.`
          : STATUS_TEXT[status]}
      </span>
      {props.readOnly && (
        <span className="badge-view-only" data-testid="view-only-badge">
          View only
        </span>
      )}
      <CopilotPanel
        linkId={props.info.linkId}
        doc={props.connection.doc}
        awareness={props.connection.provider.awareness}
        canEdit={!props.readOnly}
      />
      <HistoryPanel linkId={props.info.linkId} canEdit={!props.readOnly} onPreview={props.onPreview} />
      <PeopleMenu />
      {props.info.role === 'editor' && <ShareDialog info={props.info} />}
    </div>
  )
}
