/**
 * Where a board opens: the view this device last had of it (page and camera), else everything on
 * its first page fitted to the screen — never magnified past 100 % — and what part of the page
 * that shows, so the records there can be loaded first. Pure. Must not touch: the editor, storage.
 */
import { type Box, ShapeIndex, shapePageBounds, type TLRecord, unionBoxes } from '@drawbridge/shared'
import type { TLPage } from 'tldraw'

/** tldraw's camera: page point p is drawn at screen point (p + {x, y}) × z. */
export interface Camera {
  x: number
  y: number
  z: number
}

export interface SavedView extends Camera {
  pageId: string
}

export interface OpeningView {
  pageId: string
  /** Undefined: tldraw's own starting camera (an empty page). */
  camera: Camera | undefined
  /** The part of the page on screen, in page coordinates. */
  box: Box
}

/** tldraw's smallest zoom step. */
const MIN_ZOOM = 0.05
/** Screen pixels kept free around fitted content. */
const FIT_INSET = 48

export function isSavedView(value: unknown): value is SavedView {
  if (typeof value !== 'object' || value === null) return false
  const view = value as Record<string, unknown>
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n)
  return (
    typeof view.pageId === 'string' &&
    finite(view.x) &&
    finite(view.y) &&
    finite(view.z) &&
    Number(view.z) > 0
  )
}

/** The page box a camera shows on a screen of this size. */
export function cameraBox(camera: Camera, screen: { w: number; h: number }): Box {
  return { x: -camera.x, y: -camera.y, w: screen.w / camera.z, h: screen.h / camera.z }
}

/** The camera that shows `content` whole and centred, at most at 100 %. */
export function fitCamera(content: Box, screen: { w: number; h: number }): Camera {
  const room = (size: number) => Math.max(size - 2 * FIT_INSET, 1)
  const fit = Math.min(room(screen.w) / Math.max(content.w, 1), room(screen.h) / Math.max(content.h, 1))
  const z = Math.min(Math.max(fit, MIN_ZOOM), 1)
  return {
    x: screen.w / (2 * z) - (content.x + content.w / 2),
    y: screen.h / (2 * z) - (content.y + content.h / 2),
    z,
  }
}

/** Bounds of everything on a page, from the records alone (null for an empty page). */
export function pageContentBounds(records: readonly TLRecord[], pageId: string): Box | null {
  const index = new ShapeIndex(records)
  const boxes: Box[] = []
  for (const shape of index.shapes.values()) {
    let top = shape
    for (let depth = 0; depth < index.shapes.size; depth++) {
      const parent = index.parentShape(top)
      if (!parent) break
      top = parent
    }
    if (top.parentId !== pageId) continue
    const box = shapePageBounds(index, shape)
    if (box) boxes.push(box)
  }
  return unionBoxes(boxes)
}

export function openingView(
  records: readonly TLRecord[],
  saved: SavedView | undefined,
  screen: { w: number; h: number },
): OpeningView | undefined {
  const pages = records
    .filter((record): record is TLPage => record.typeName === 'page')
    .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
  const first = pages[0]
  if (!first) return undefined
  if (saved && pages.some((page) => page.id === saved.pageId)) {
    const camera = { x: saved.x, y: saved.y, z: saved.z }
    return { pageId: saved.pageId, camera, box: cameraBox(camera, screen) }
  }
  const content = pageContentBounds(records, first.id)
  if (!content) return { pageId: first.id, camera: undefined, box: { x: 0, y: 0, ...screen } }
  const camera = fitCamera(content, screen)
  return { pageId: first.id, camera, box: cameraBox(camera, screen) }
}
