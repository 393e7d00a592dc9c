/** Placing a new drawing where a person looks: inside their view when free, beside it otherwise. */
import { describe, expect, it } from 'vitest'
import { containsBox, FREE_SPACE_GAP, findSpaceInView } from './boardGeometry'
import type { Box } from './layout'

const view: Box = { x: 48_000, y: 36_000, w: 1200, h: 700 }
const size = { w: 500, h: 300 }
const apart = (a: Box, b: Box) => a.x >= b.x + b.w || b.x >= a.x + a.w || a.y >= b.y + b.h || b.y >= a.y + a.h

describe('findSpaceInView', () => {
  it('centres a drawing in an empty view, however far from the origin', () => {
    const spot = findSpaceInView([], size, view)
    expect(containsBox(view, { ...spot, ...size })).toBe(true)
    expect(spot.x + size.w / 2).toBeCloseTo(view.x + view.w / 2, -1)
    expect(spot.y + size.h / 2).toBeCloseTo(view.y + view.h / 2, -1)
  })

  it('stays in the view but off the shapes already there, a gap away', () => {
    const middle = { x: view.x + 450, y: view.y + 250, w: 300, h: 200 }
    const corner = { x: view.x + 20, y: view.y + 20, w: 100, h: 60 }
    const small = { w: 300, h: 200 }
    const spot = findSpaceInView([middle, corner], small, view)
    const placed = { ...spot, ...small }
    expect(containsBox(view, placed)).toBe(true)
    for (const other of [middle, corner]) {
      const grown = {
        x: other.x - FREE_SPACE_GAP + 1,
        y: other.y - FREE_SPACE_GAP + 1,
        w: other.w + 2 * FREE_SPACE_GAP - 2,
        h: other.h + 2 * FREE_SPACE_GAP - 2,
      }
      expect(apart(placed, grown)).toBe(true)
    }
  })

  it('goes next to a full view, as close as it can, overlapping nothing', () => {
    const cover = { x: view.x - 10, y: view.y - 10, w: view.w + 20, h: view.h + 20 }
    const spot = findSpaceInView([cover], size, view)
    const placed = { ...spot, ...size }
    expect(apart(placed, cover)).toBe(true)
    const distance = Math.hypot(
      spot.x + size.w / 2 - (view.x + view.w / 2),
      spot.y + size.h / 2 - (view.y + view.h / 2),
    )
    expect(distance).toBeLessThan(view.w)
  })

  it('prefers the spot beside the selection when it is in view', () => {
    const selection = { x: view.x + 100, y: view.y + 100, w: 200, h: 100 }
    const spot = findSpaceInView([selection], size, view, selection)
    expect(spot).toEqual({ x: selection.x + selection.w + FREE_SPACE_GAP, y: selection.y })
  })
})
