/**
 * Page-space geometry of tldraw shapes for export: each shape's origin and rotation after its
 * parents' transforms, its unrotated size, and the box draw.io wants (top-left of the unrotated
 * box, rotation about the centre). Must not touch: XML, styles.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'

export interface Point {
  x: number
  y: number
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** A shape's local frame in page space: origin and total rotation (radians). */
export interface Transform {
  x: number
  y: number
  rotation: number
}

/** Unit note side (tldraw notes are 200×200 at scale 1). */
export const NOTE_SIDE = 200
/** Height of one text line relative to its font size, for text shapes whose height is not stored. */
export const LINE_HEIGHT = 1.35
/** Padding tldraw puts around text shapes (px at scale 1). */
export const TEXT_PADDING = 16

export function rotate(point: Point, angle: number): Point {
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  return { x: point.x * cos - point.y * sin, y: point.x * sin + point.y * cos }
}

/** Applies a transform to a point in the shape's local space. */
export function toPage(transform: Transform, local: Point): Point {
  const turned = rotate(local, transform.rotation)
  return { x: transform.x + turned.x, y: transform.y + turned.y }
}

/** Shapes by id plus a memoised page transform per shape. */
export class ShapeIndex {
  readonly shapes = new Map<string, TLShape>()
  private readonly transforms = new Map<string, Transform>()
  private readonly children = new Map<string, TLShape[]>()

  constructor(records: Iterable<TLRecord>) {
    for (const record of records) {
      if (record.typeName !== 'shape') continue
      this.shapes.set(record.id, record)
      const siblings = this.children.get(record.parentId)
      if (siblings) siblings.push(record)
      else this.children.set(record.parentId, [record])
    }
  }

  parentShape(shape: TLShape): TLShape | undefined {
    return this.shapes.get(shape.parentId)
  }

  /** The page transform of a shape (cycles in parentId are cut at the repeated shape). */
  transform(shape: TLShape, seen: Set<string> = new Set()): Transform {
    const cached = this.transforms.get(shape.id)
    if (cached) return cached
    const parent = this.parentShape(shape)
    let result: Transform = { x: shape.x, y: shape.y, rotation: shape.rotation }
    if (parent && !seen.has(parent.id)) {
      seen.add(shape.id)
      const base = this.transform(parent, seen)
      const origin = toPage(base, { x: shape.x, y: shape.y })
      result = { x: origin.x, y: origin.y, rotation: base.rotation + shape.rotation }
    }
    this.transforms.set(shape.id, result)
    return result
  }

  /** Children of a shape or page, in the order given (a copy the caller may sort). */
  childrenOf(id: string): TLShape[] {
    return [...(this.children.get(id) ?? [])]
  }
}

/** Centre-based box of a rotated local rectangle, as draw.io stores it. */
export function cellBox(transform: Transform, size: { w: number; h: number }): Box {
  const centre = toPage(transform, { x: size.w / 2, y: size.h / 2 })
  return { x: centre.x - size.w / 2, y: centre.y - size.h / 2, w: size.w, h: size.h }
}

/** The smallest box holding all boxes (null for none). */
export function unionBoxes(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  for (const box of boxes) {
    minX = Math.min(minX, box.x)
    minY = Math.min(minY, box.y)
    maxX = Math.max(maxX, box.x + box.w)
    maxY = Math.max(maxY, box.y + box.h)
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY }
}

/** Radians to draw.io degrees in [0, 360). */
export function toDegrees(radians: number): number {
  const degrees = (radians * 180) / Math.PI
  return ((degrees % 360) + 360) % 360
}
