import { describe, expect, it } from 'vitest'
import { labelPositionOf, placeExtraLabels, pointAlong, visiblePath } from './edgeLabels'
import type { Box } from './geometry'

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('edge labels', () => {
  it('maps draw.io relative x in [-1, 1] to tldraw labelPosition 0..1', () => {
    expect([-1, -0.5, 0, 0.5, 1, 3].map(labelPositionOf)).toEqual([0, 0.25, 0.5, 0.75, 1, 1])
  })

  it('finds the point a fraction along a polyline with waypoints', () => {
    const path = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 100 },
    ]
    expect(pointAlong(path, 0.25).point).toEqual({ x: 50, y: 0 })
    expect(pointAlong(path, 0.75).point).toEqual({ x: 100, y: 50 })
  })

  it('cuts the path at the outlines of the shapes it joins, as the arrow is drawn', () => {
    const cut = visiblePath(
      [
        { x: 50, y: 25 },
        { x: 250, y: 25 },
      ],
      { x: 0, y: 0, w: 100, h: 50 },
      { x: 200, y: 0, w: 100, h: 50 },
    )
    expect(cut).toEqual([
      { x: 100, y: 25 },
      { x: 200, y: 25 },
    ])
  })

  it('places several labels at the same spot so none overlaps the arrow label or another', () => {
    const path = [
      { x: 0, y: 0 },
      { x: 0, y: 200 },
    ]
    const main = { text: 'main label', fontSize: 11, x: 0, y: 0 }
    const others = ['second', 'third', 'fourth'].map((text) => ({ text, fontSize: 11, x: 0, y: 0 }))
    const boxes = placeExtraLabels(path, main, others)
    const mainBox = placeExtraLabels(path, undefined, [main])[0]!
    expect(boxes).toHaveLength(3)
    for (const [i, box] of boxes.entries()) {
      expect(overlap(box, mainBox)).toBe(false)
      for (const other of boxes.slice(i + 1)) expect(overlap(box, other)).toBe(false)
    }
  })
})
