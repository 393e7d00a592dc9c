/**
 * The board's top-right corner: the connection status (one state: tldraw's own offline indicator
 * is fed the same status, see BoardCanvas), the view-only badge, the people menu (tldraw's: avatars,
 * names, colours, follow — the co-pilot appears there while it works), the co-pilot, History and —
 * for editors — Share. History and Share open tldraw dialogs. On phones (tldraw's mobile
 * breakpoints) the status shrinks to a dot and the buttons to their short form, so all stay in reach.
 * It also shows, as toasts, the board notices that arise outside tldraw's UI (boardNotices.ts).
 */

import type { TLRecord } from '@drawbridge/shared'
import { createContext, useContext, useEffect, useSyncExternalStore } from 'react'
import {
  PeopleMenu,
  PORTRAIT_BREAKPOINT,
  TldrawUiButton,
  TldrawUiButtonLabel,
  useBreakpoint,
  useDialogs,
  useToasts,
} from 'tldraw'
import { CopilotPanel } from '../copilot/CopilotPanel'
import { HistoryDialog } from '../history/HistoryDialog'
import type { Version } from '../history/versionsApi'
import type { LinkInfo } from '../offline/deviceStore'
import { ShareDialog } from '../share/ShareDialog'
import type { RoomConnection } from '../sync/roomConnection'
import type { BoardNotices } from './boardNotices'

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
  /** Puts the rest of a board still loading into the editor (before reading all of it). */
  loadAll: () => void
  /** Messages from outside tldraw's UI (a refused change…), shown here as toasts. */
  notices: BoardNotices
}

export const BoardChromeContext = createContext<ChromeProps | undefined>(undefined)

/** The component tldraw renders in its share-panel slot. */
export function BoardChromeSlot() {
  const props = useContext(BoardChromeContext)
  return props ? <BoardChrome {...props} /> : null
}

function BoardChrome(props: ChromeProps) {
  const { status, notice } = useSyncExternalStore(props.connection.subscribe, props.connection.getSnapshot)
  const compact = useBreakpoint() < PORTRAIT_BREAKPOINT.TABLET_SM
  const { addDialog } = useDialogs()
  const { addToast } = useToasts()
  useEffect(
    () =>
      props.notices.listen(({ key, message }) =>
        addToast({ id: key, severity: 'warning', title: 'Change not saved', description: message }),
      ),
    [props.notices, addToast],
  )
  const statusText =
    status === 'connecting' && notice ? `${notice} Changes are kept on this device.` : STATUS_TEXT[status]

  return (
    <div className="board-chrome" data-compact={compact}>
      <span
        className="status"
        data-status={status}
        data-testid="connection-status"
        title={notice ?? statusText}
        role="status"
      >
        <span className="status-text">{statusText}</span>
      </span>
      {props.readOnly && (
        <span className="badge-view-only" data-testid="view-only-badge">
          View only
        </span>
      )}
      {/* tldraw's people menu turns into its own offline icon when offline: our status says it once. */}
      {status === 'connected' && <PeopleMenu />}
      <CopilotPanel
        linkId={props.info.linkId}
        doc={props.connection.doc}
        awareness={props.connection.provider.awareness}
        canEdit={!props.readOnly}
      />
      <TldrawUiButton
        type="normal"
        className="chrome-button"
        data-testid="history-button"
        onClick={() =>
          addDialog({
            component: ({ onClose }) => (
              <HistoryDialog
                linkId={props.info.linkId}
                canEdit={!props.readOnly}
                onPreview={props.onPreview}
                onClose={onClose}
              />
            ),
          })
        }
      >
        <TldrawUiButtonLabel>History</TldrawUiButtonLabel>
      </TldrawUiButton>
      {props.info.role === 'editor' && (
        <TldrawUiButton
          type="primary"
          className="chrome-button"
          data-testid="share-button"
          onClick={() =>
            addDialog({
              component: () => <ShareDialog info={props.info} doc={props.connection.doc} />,
            })
          }
        >
          <TldrawUiButtonLabel>Share</TldrawUiButtonLabel>
        </TldrawUiButton>
      )}
    </div>
  )
}
