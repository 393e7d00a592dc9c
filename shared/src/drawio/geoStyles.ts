/**
 * The geo-kind table: which draw.io style each tldraw geo kind is written as, and which tldraw geo
 * kind a draw.io shape is read as. Owns: that table (repeated in docs/drawio.md). Must not touch:
 * colours, records, XML.
 */
import type { TLGeoShape } from '@tldraw/tlschema'
import { BARE_NAME, type Style } from './style'

export type GeoKind = TLGeoShape['props']['geo']

/** Drawbridge's own style key: the tldraw kind, written only where draw.io has no exact match. */
export const GEO_HINT_KEY = 'dbGeo'

/** Style entries (besides colours and text) each geo kind is exported with. */
export const GEO_TO_STYLE: Readonly<Record<GeoKind, ReadonlyArray<readonly [string, string]>>> = {
  rectangle: [['rounded', '0']],
  ellipse: [[BARE_NAME, 'ellipse']],
  diamond: [[BARE_NAME, 'rhombus']],
  triangle: [
    [BARE_NAME, 'triangle'],
    ['direction', 'north'],
  ],
  hexagon: [
    ['shape', 'hexagon'],
    ['perimeter', 'hexagonPerimeter2'],
    ['size', '0.25'],
  ],
  cloud: [
    [BARE_NAME, 'ellipse'],
    ['shape', 'cloud'],
  ],
  star: [['shape', 'mxgraph.basic.star']],
  pentagon: [['shape', 'mxgraph.basic.pentagon']],
  octagon: [
    ['shape', 'mxgraph.basic.octagon2'],
    ['dx', '15'],
  ],
  oval: [
    ['rounded', '1'],
    ['arcSize', '50'],
  ],
  trapezoid: [
    ['shape', 'trapezoid'],
    ['perimeter', 'trapezoidPerimeter'],
    ['size', '0.2'],
  ],
  rhombus: [
    ['shape', 'parallelogram'],
    ['perimeter', 'parallelogramPerimeter'],
  ],
  'rhombus-2': [
    ['shape', 'parallelogram'],
    ['perimeter', 'parallelogramPerimeter'],
    ['flipH', '1'],
    [GEO_HINT_KEY, 'rhombus-2'],
  ],
  heart: [['shape', 'mxgraph.basic.heart']],
  'arrow-right': [
    ['shape', 'singleArrow'],
    ['direction', 'east'],
  ],
  'arrow-left': [
    ['shape', 'singleArrow'],
    ['direction', 'west'],
  ],
  'arrow-up': [
    ['shape', 'singleArrow'],
    ['direction', 'north'],
  ],
  'arrow-down': [
    ['shape', 'singleArrow'],
    ['direction', 'south'],
  ],
  'x-box': [
    ['rounded', '0'],
    [GEO_HINT_KEY, 'x-box'],
  ],
  'check-box': [
    ['rounded', '0'],
    [GEO_HINT_KEY, 'check-box'],
  ],
}

const GEO_KINDS = new Set(Object.keys(GEO_TO_STYLE))

/** draw.io shape names (the `shape=` value or the bare leading name) that map to one geo kind. */
const SHAPE_TO_GEO: Readonly<Record<string, GeoKind>> = {
  rectangle: 'rectangle',
  rect: 'rectangle',
  label: 'rectangle',
  process: 'rectangle',
  ellipse: 'ellipse',
  doubleEllipse: 'ellipse',
  rhombus: 'diamond',
  triangle: 'triangle',
  hexagon: 'hexagon',
  cloud: 'cloud',
  'mxgraph.basic.star': 'star',
  'mxgraph.basic.pentagon': 'pentagon',
  'mxgraph.basic.octagon2': 'octagon',
  trapezoid: 'trapezoid',
  parallelogram: 'rhombus',
  'mxgraph.basic.heart': 'heart',
  singleArrow: 'arrow-right',
  'mxgraph.basic.x': 'x-box',
  'mxgraph.basic.tick': 'check-box',
  // Flowchart stencils keep their meaning with the nearest geo kind.
  'mxgraph.flowchart.decision': 'diamond',
  'mxgraph.flowchart.start_1': 'ellipse',
  'mxgraph.flowchart.start_2': 'ellipse',
  'mxgraph.flowchart.terminator': 'oval',
  'mxgraph.flowchart.process': 'rectangle',
}

const ARROW_DIRECTIONS: Readonly<Record<string, GeoKind>> = {
  east: 'arrow-right',
  west: 'arrow-left',
  north: 'arrow-up',
  south: 'arrow-down',
}
const OVAL_ARC_SIZE = '50'

/** The draw.io shape name of a vertex style: `shape=` wins over the bare leading name. */
export function shapeName(style: Style): string {
  return style.get('shape') ?? style.get(BARE_NAME) ?? 'rectangle'
}

/** The geo kind of a vertex style, or null for a stencil tldraw has no kind for. */
export function geoKindOf(style: Style): GeoKind | null {
  const hint = style.get(GEO_HINT_KEY)
  if (hint && GEO_KINDS.has(hint)) return hint as GeoKind
  const name = shapeName(style)
  if (name === 'rectangle' && style.get('rounded') === '1' && style.get('arcSize') === OVAL_ARC_SIZE)
    return 'oval'
  if (name === 'singleArrow') return ARROW_DIRECTIONS[style.get('direction') ?? 'east'] ?? 'arrow-right'
  return SHAPE_TO_GEO[name] ?? null
}
