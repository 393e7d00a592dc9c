/**
 * A board's name as everyone sees it: `meta.title` in the room's Y.Doc, which the server writes on
 * creation and on every rename (PATCH /api/rooms/:id), so a rename reaches every open board live.
 * Also keeps the tab title and this device's list of boards in step with it.
 */
import { openMeta, readTitle } from '@drawbridge/shared'
import { useEffect, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { deviceStore } from '../offline/deviceStore'

const APP_NAME = 'Drawbridge'

/** The live title, or `fallback` (what the link resolved to) while the doc has none. */
export function useBoardTitle(doc: Y.Doc, fallback: string): string {
  const title = useSyncExternalStore(
    (listener) => {
      const meta = openMeta(doc)
      meta.observe(listener)
      return () => meta.unobserve(listener)
    },
    () => readTitle(doc),
  )
  return title || fallback
}

/** The text of the browser tab for a board. */
export function tabTitle(boardTitle: string): string {
  return boardTitle ? `${boardTitle} — ${APP_NAME}` : APP_NAME
}

/** Mirrors the title into `document.title` and the device's board list while the board is open. */
export function useBoardTitleEffects(linkId: string, title: string): void {
  useEffect(() => {
    document.title = tabTitle(title)
    const remembered = deviceStore.link(linkId)
    if (remembered && remembered.title !== title) deviceStore.rememberLink({ ...remembered, title })
    deviceStore.renameBoard(linkId, title)
  }, [linkId, title])
  useEffect(
    () => () => {
      document.title = APP_NAME
    },
    [],
  )
}
