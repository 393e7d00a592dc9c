/**
 * Keeps this device's last view of a board (page and camera) in the device store, a moment after
 * the person stops moving, and puts a board back to a view when it opens. Must not touch: the
 * board's records, the doc.
 */
import { type Editor, react, type TLPageId } from 'tldraw'
import { deviceStore } from '../offline/deviceStore'
import type { OpeningView } from './openingView'

/** How long the camera must rest before its view is written (localStorage is synchronous). */
const SAVE_AFTER_MS = 400

/** Shows the opening view: its page and camera, outside the person's undo history. */
export function showOpeningView(editor: Editor, view: OpeningView): void {
  editor.run(
    () => {
      if (editor.getCurrentPageId() !== view.pageId && editor.getPage(view.pageId as TLPageId))
        editor.setCurrentPage(view.pageId as TLPageId)
      if (view.camera) editor.setCamera(view.camera, { immediate: true })
    },
    { history: 'ignore' },
  )
}

/** Remembers the view as the person moves around; returns the stop function. */
export function rememberViews(editor: Editor, roomId: string): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const save = () => {
    timer = undefined
    const { x, y, z } = editor.getCamera()
    deviceStore.rememberView(roomId, { pageId: editor.getCurrentPageId(), x, y, z })
  }
  const stop = react('remember the view', () => {
    editor.getCamera()
    editor.getCurrentPageId()
    clearTimeout(timer)
    timer = setTimeout(save, SAVE_AFTER_MS)
  })
  const onHide = () => {
    if (timer !== undefined) {
      clearTimeout(timer)
      save()
    }
  }
  window.addEventListener('pagehide', onHide)
  return () => {
    stop()
    onHide()
    window.removeEventListener('pagehide', onHide)
  }
}

/** Resolves after the next frame has been painted (or soon, in a tab that paints nothing). */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 1_000)
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback)
        resolve()
      }, 0),
    )
  })
}
