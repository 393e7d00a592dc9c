/**
 * The page-space bounding box of a set of records, so a caller can move imported content into
 * free space before inserting it, and of each shape, so a browser can tell which shapes a view
 * shows before tldraw has measured them. Must not touch: XML, styles.
 */
import { b64Vecs, type TLRecord, type TLShape } from '@tldraw/tlschema'
import { type Box, NOTE_SIDE, type Point, ShapeIndex, toPage, unionBoxes } from './geometry'

function localPoints(shape: TLShape): Point[] {
  switch (shape.type) {
    case 'arrow':
      return [shape.props.start, shape.props.end]
    case 'line':
      return Object.values(shape.props.points).map((p) => ({
        x: p.x * shape.props.scale,
        y: p.y * shape.props.scale,
      }))
    case 'draw':
    case 'highlight':
      return shape.props.segments
        .flatMap((s) => b64Vecs.decodePoints(s.path, s.dim))
        .map((p) => ({ x: p.x * shape.props.scale, y: p.y * shape.props.scale }))
    case 'note':
      return corners(NOTE_SIDE * shape.props.scale, (NOTE_SIDE + shape.props.growY) * shape.props.scale)
    case 'geo':
      return corners(shape.props.w, shape.props.h + shape.props.growY)
    case 'text':
      return corners(shape.props.w * shape.props.scale, 0)
    case 'group':
      return []
    default:
      return 'w' in shape.props && 'h' in shape.props
        ? corners(Number(shape.props.w), Number(shape.props.h))
        : [{ x: 0, y: 0 }]
  }
}

function corners(w: number, h: number): Point[] {
  return [
    { x: 0, y: 0 },
    { x: w, y: 0 },
    { x: 0, y: h },
    { x: w, y: h },
  ]
}

/**
 * Page-space bounds of one shape of `index` from its record alone (rotation and parents applied;
 * a text shape's height and a group's extent are not in the record: null for a group).
 */
export function shapePageBounds(index: ShapeIndex, shape: TLShape): Box | null {
  const transform = index.transform(shape)
  return unionBoxes(
    localPoints(shape).map((point) => {
      const page = toPage(transform, point)
      return { x: page.x, y: page.y, w: 0, h: 0 }
    }),
  )
}

/** Bounds of every shape in `records` (rotation and parents applied); null when there are none. */
export function boundsOf(records: Iterable<TLRecord>): Box | null {
  const index = new ShapeIndex(records)
  const boxes: Box[] = []
  for (const shape of index.shapes.values()) {
    const box = shapePageBounds(index, shape)
    if (box) boxes.push(box)
  }
  return unionBoxes(boxes)
}
