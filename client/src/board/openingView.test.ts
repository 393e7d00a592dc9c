/**
 * Where a board opens: the device's last view of it when that page still exists, else the first
 * page's content fitted to the screen (never above 100 %), and the page box that view shows.
 */
import {
  buildDocumentRecord,
  buildGeoShape,
  buildPage,
  FIRST_PAGE_ID,
  getIndices,
  type TLRecord,
} from '@drawbridge/shared'
import { describe, expect, it } from 'vitest'
import { cameraBox, isSavedView, openingView } from './openingView'

const SCREEN = { w: 1000, h: 600 }
function boardWith(shapes: Array<{ x: number; y: number; w: number; h: number; page?: string }>): TLRecord[] {
  return [
    buildDocumentRecord(),
    buildPage({ id: 'page:later' as never, name: 'Later', index: 'a9' as never }),
    buildPage({ id: FIRST_PAGE_ID, name: 'Page 1', index: 'a1' as never }),
    ...shapes.map((shape, i) =>
      buildGeoShape({
        ...shape,
        index: getIndices(shapes.length)[i]!,
        parentId: (shape.page ?? FIRST_PAGE_ID) as never,
      }),
    ),
  ]
}

describe('openingView', () => {
  it('reopens where this device left the board', () => {
    const saved = { pageId: 'page:later', x: -500, y: -200, z: 0.5 }
    const view = openingView(boardWith([{ x: 0, y: 0, w: 10, h: 10 }]), saved, SCREEN)
    expect(view).toEqual({
      pageId: 'page:later',
      camera: { x: -500, y: -200, z: 0.5 },
      box: { x: 500, y: 200, w: 2000, h: 1200 },
    })
  })

  it('fits a large board on its first page, zoomed out, centred', () => {
    const records = boardWith([
      { x: 0, y: 0, w: 100, h: 100 },
      { x: 15_900, y: 5_400, w: 100, h: 100 },
      { x: 90_000, y: 90_000, w: 100, h: 100, page: 'page:later' },
    ])
    const view = openingView(records, undefined, SCREEN)!
    expect(view.pageId).toBe(FIRST_PAGE_ID)
    expect(view.camera!.z).toBeCloseTo((1000 - 96) / 16_000)
    // The content's centre is the screen's centre, and all of it is inside the box shown.
    const box = view.box
    expect(box.x + box.w / 2).toBeCloseTo(8_000)
    expect(box.y + box.h / 2).toBeCloseTo(2_750)
    expect(box.x).toBeLessThanOrEqual(0)
    expect(box.x + box.w).toBeGreaterThanOrEqual(16_000)
    expect(box).toEqual(cameraBox(view.camera!, SCREEN))
  })

  it('never magnifies a small board, and leaves an empty page at tldraw’s own camera', () => {
    const small = openingView(boardWith([{ x: 100, y: 100, w: 50, h: 40 }]), undefined, SCREEN)!
    expect(small.camera!.z).toBe(1)
    expect(small.box.x + small.box.w / 2).toBeCloseTo(125)
    const empty = openingView(boardWith([]), undefined, SCREEN)!
    expect(empty.camera).toBeUndefined()
    expect(empty.box).toEqual({ x: 0, y: 0, w: 1000, h: 600 })
  })

  it('ignores a saved view of a page that is gone, and saved values that are not a view', () => {
    const view = openingView(
      boardWith([{ x: 0, y: 0, w: 10, h: 10 }]),
      { pageId: 'page:gone', x: 1, y: 2, z: 3 },
      SCREEN,
    )
    expect(view!.pageId).toBe(FIRST_PAGE_ID)
    expect(view!.camera!.z).toBe(1)
    expect(isSavedView({ pageId: 'page:page', x: 0, y: 0, z: 1 })).toBe(true)
    for (const bad of [
      null,
      'x',
      { pageId: 'p', x: 0, y: 0, z: 0 },
      { pageId: 'p', x: Number.NaN, y: 0, z: 1 },
      { x: 0, y: 0, z: 1 },
    ])
      expect(isSavedView(bad)).toBe(false)
  })
})
