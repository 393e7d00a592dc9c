/**
 * tldraw measures every label in hidden elements (`.tl-text-measure`) that it keeps directly in its
 * container. Each measurement forces a layout, and from there Chromium walks the whole container —
 * every shape already on the canvas — so on a board loading in batches a label measured late cost
 * milliseconds instead of microseconds. This moves those elements into a box of their own with
 * `contain: strict` (a layout root: a measurement lays out only itself), inside the container so
 * tldraw's styles and variables still apply, and keeps any that tldraw adds later there too.
 * Must not touch: what tldraw measures or how (the elements, their styles, their content).
 */
import type { Editor } from 'tldraw'

const MEASURE_SELECTOR = ':scope > .tl-text-measure'

export function isolateTextMeasurement(editor: Editor): () => void {
  const container = editor.getContainer()
  const box = container.ownerDocument.createElement('div')
  box.className = 'board-text-measure'
  container.appendChild(box)
  const move = () => {
    for (const element of container.querySelectorAll(MEASURE_SELECTOR)) box.appendChild(element)
  }
  move()
  const observer = new MutationObserver(move)
  observer.observe(container, { childList: true })
  return () => {
    observer.disconnect()
    for (const element of [...box.children]) container.appendChild(element)
    box.remove()
  }
}
