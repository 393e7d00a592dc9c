/**
 * Where the person is looking, for the co-pilot: the part of the canvas they can see (the
 * viewport less the panels over it — the co-pilot's own, tldraw's style panel), in page
 * coordinates, sent with a request so the drawing lands there; and, when the drawing is done,
 * moving their camera to show it if it is not in that part already.
 * Owns: these camera reads and the one camera move. Must not touch: the doc, the network.
 */
import type { Editor } from 'tldraw'
import type { PageBox } from './copilotApi'

/** Panels that cover the canvas: what is under them is not seen. */
const COVERING = ['[data-testid="copilot-panel"]', '.tlui-style-panel__wrapper']
/** A seen part smaller than this share of the viewport is no better than the whole viewport. */
const MIN_SEEN_SHARE = 0.2
/** Screen pixels kept around a drawing the camera moves to show. */
const SHOW_INSET_PX = 48
const SHOW_ANIMATION_MS = 320

interface Rect {
  x: number
  y: number
  w: number
  h: number
}

const area = (rect: Rect) => Math.max(0, rect.w) * Math.max(0, rect.h)

/** The largest part of `region` that `obstacle` does not cover (`region` itself when apart). */
function largestUncovered(region: Rect, obstacle: Rect): Rect {
  const apart =
    obstacle.x >= region.x + region.w ||
    obstacle.x + obstacle.w <= region.x ||
    obstacle.y >= region.y + region.h ||
    obstacle.y + obstacle.h <= region.y
  if (apart) return region
  const right = region.x + region.w
  const bottom = region.y + region.h
  const parts: Rect[] = [
    { ...region, w: obstacle.x - region.x },
    { ...region, x: obstacle.x + obstacle.w, w: right - (obstacle.x + obstacle.w) },
    { ...region, h: obstacle.y - region.y },
    { ...region, y: obstacle.y + obstacle.h, h: bottom - (obstacle.y + obstacle.h) },
  ]
  return parts.reduce((best, part) => (area(part) > area(best) ? part : best))
}

/** The part of the canvas the person sees, in screen (client) coordinates. */
function seenScreenRect(editor: Editor): Rect {
  const viewport = editor.getViewportScreenBounds()
  const whole = { x: viewport.x, y: viewport.y, w: viewport.w, h: viewport.h }
  let seen: Rect = whole
  for (const selector of COVERING) {
    for (const element of Array.from(document.querySelectorAll(selector))) {
      const box = element.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      seen = largestUncovered(seen, { x: box.left, y: box.top, w: box.width, h: box.height })
    }
  }
  return area(seen) < area(whole) * MIN_SEEN_SHARE ? whole : seen
}

/** The page box the person sees on their current page. */
export function seenPageBox(editor: Editor): PageBox {
  const rect = seenScreenRect(editor)
  const topLeft = editor.screenToPage({ x: rect.x, y: rect.y })
  const bottomRight = editor.screenToPage({ x: rect.x + rect.w, y: rect.y + rect.h })
  return {
    pageId: editor.getCurrentPageId(),
    x: topLeft.x,
    y: topLeft.y,
    w: Math.max(1, bottomRight.x - topLeft.x),
    h: Math.max(1, bottomRight.y - topLeft.y),
  }
}

const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h

/**
 * Moves the camera so `drawing` is in the part of the canvas the person sees, zooming out as far
 * as it takes (never in); does nothing when it is there already.
 */
export function showDrawing(editor: Editor, drawing: PageBox): void {
  if (editor.getCurrentPageId() !== drawing.pageId) {
    const page = editor.getPages().find((candidate) => candidate.id === drawing.pageId)
    if (!page) return
    editor.setCurrentPage(page.id)
  }
  if (contains(seenPageBox(editor), drawing)) return
  const seen = seenScreenRect(editor)
  const viewport = editor.getViewportScreenBounds()
  const current = editor.getCamera()
  const zoom = Math.max(
    0.05,
    Math.min(
      current.z,
      (seen.w - 2 * SHOW_INSET_PX) / Math.max(1, drawing.w),
      (seen.h - 2 * SHOW_INSET_PX) / Math.max(1, drawing.h),
    ),
  )
  // Screen = (page + camera) × zoom, measured from the viewport's corner.
  const left = seen.x - viewport.x + (seen.w - drawing.w * zoom) / 2
  const top = seen.y - viewport.y + (seen.h - drawing.h * zoom) / 2
  editor.setCamera(
    { x: left / zoom - drawing.x, y: top / zoom - drawing.y, z: zoom },
    { animation: { duration: SHOW_ANIMATION_MS } },
  )
}
