/**
 * The board's name at the top of the canvas: plain text for everyone, and for the owner a button
 * that turns into an input (Enter or leaving the field saves, Escape cancels). A rename goes
 * through the owner API, which writes `meta.title` so every open board shows it at once.
 */
import { useContext, useState } from 'react'
import {
  CenteredTopPanelContainer,
  PORTRAIT_BREAKPOINT,
  TldrawUiInput,
  useBreakpoint,
  useToasts,
} from 'tldraw'
import type * as Y from 'yjs'
import type { LinkInfo } from '../offline/deviceStore'
import { ownerApi } from '../share/ownerApi'
import { ownerKeyFor } from '../share/ownership'
import { BoardChromeContext } from './BoardChrome'
import { useBoardTitle } from './boardTitle'

/** Longest name the server accepts (roomRoutes / ownerRoutes). */
const MAX_TITLE_CHARS = 200

/** The component tldraw renders in its top-panel slot. */
export function BoardTitleSlot() {
  const chrome = useContext(BoardChromeContext)
  const compact = useBreakpoint() < PORTRAIT_BREAKPOINT.TABLET_SM
  if (!chrome) return null
  // Phones: the top bar has no room left between the menus, so the name sits under the main menu.
  if (compact) {
    return (
      <div className="board-title-compact">
        <BoardTitle info={chrome.info} doc={chrome.connection.doc} />
      </div>
    )
  }
  // tldraw's container keeps it centred between the menus and gives it what width is left.
  return (
    <CenteredTopPanelContainer>
      <BoardTitle info={chrome.info} doc={chrome.connection.doc} />
    </CenteredTopPanelContainer>
  )
}

function BoardTitle({ info, doc }: { info: LinkInfo; doc: Y.Doc }) {
  const title = useBoardTitle(doc, info.title)
  const ownerKey = ownerKeyFor(info)
  const [editing, setEditing] = useState(false)
  const { addToast } = useToasts()

  if (ownerKey === undefined) {
    return (
      <div className="board-title" data-testid="board-title" title={title}>
        {title}
      </div>
    )
  }
  if (editing) {
    return (
      <div className="board-title board-title-editing">
        <TldrawUiInput
          aria-label="Board name"
          data-testid="board-title-input"
          defaultValue={title}
          maxLength={MAX_TITLE_CHARS}
          autoFocus
          autoSelect
          onBlur={(value) => {
            setEditing(false)
            const next = value.trim()
            if (!next || next === title) return
            ownerApi.rename(ownerKey, info.roomId, next).catch((caught: unknown) =>
              addToast({
                severity: 'error',
                title: 'The board was not renamed',
                description: caught instanceof Error ? caught.message : String(caught),
              }),
            )
          }}
        />
      </div>
    )
  }
  return (
    <button
      type="button"
      className="board-title board-title-button"
      data-testid="board-title"
      title="Rename this board"
      aria-label={`Board name: ${title}. Rename`}
      onClick={() => setEditing(true)}
    >
      {title}
    </button>
  )
}
