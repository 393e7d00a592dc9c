/**
 * draw.io's own stencils for shapes drawn from Mermaid: a node keeps Mermaid's shape name in
 * `meta.mermaidShape` (tldraw has no cylinder or document), and the export writes the matching
 * draw.io shape instead of the nearest geo kind's; the geo kind travels as a hint so an import
 * gets the same tldraw shape back. Owns: that table. Must not touch: colours, XML.
 */
import type { GeoKind } from './geoStyles'
import { GEO_HINT_KEY } from './geoStyles'
import { BARE_NAME } from './style'

type Entries = ReadonlyArray<readonly [string, string]>

/** Mermaid short name → draw.io style entries (besides colours and text). */
const MERMAID_TO_STYLE: Readonly<Record<string, Entries>> = {
  rounded: [['rounded', '1']],
  'fr-rect': [['shape', 'process']],
  cyl: [
    ['shape', 'cylinder3'],
    ['boundedLbl', '1'],
    ['backgroundOutline', '1'],
    ['size', '15'],
  ],
  'lin-cyl': [
    ['shape', 'cylinder3'],
    ['boundedLbl', '1'],
    ['backgroundOutline', '1'],
    ['size', '15'],
  ],
  database: [
    ['shape', 'cylinder3'],
    ['boundedLbl', '1'],
    ['backgroundOutline', '1'],
    ['size', '15'],
  ],
  'h-cyl': [
    ['shape', 'cylinder3'],
    ['direction', 'south'],
    ['boundedLbl', '1'],
  ],
  datastore: [['shape', 'datastore']],
  doc: [
    ['shape', 'document'],
    ['boundedLbl', '1'],
  ],
  'lin-doc': [
    ['shape', 'document'],
    ['boundedLbl', '1'],
  ],
  'tag-doc': [
    ['shape', 'document'],
    ['boundedLbl', '1'],
  ],
  docs: [['shape', 'mxgraph.flowchart.multi-document']],
  delay: [['shape', 'delay']],
  'curv-trap': [['shape', 'mxgraph.flowchart.display']],
  'win-pane': [
    ['shape', 'internalStorage'],
    ['dx', '10'],
    ['dy', '10'],
  ],
  'notch-rect': [['shape', 'card']],
  'lin-rect': [['shape', 'process']],
  'dbl-circ': [
    [BARE_NAME, 'ellipse'],
    ['shape', 'doubleEllipse'],
  ],
  'fr-circ': [
    [BARE_NAME, 'ellipse'],
    ['shape', 'doubleEllipse'],
  ],
  'cross-circ': [
    [BARE_NAME, 'ellipse'],
    ['shape', 'sumEllipse'],
  ],
  hourglass: [['shape', 'collate']],
  flag: [['shape', 'tape']],
  'sl-rect': [['shape', 'manualInput']],
  'flip-tri': [
    [BARE_NAME, 'triangle'],
    ['direction', 'south'],
  ],
  'lean-l': [
    ['shape', 'parallelogram'],
    ['perimeter', 'parallelogramPerimeter'],
    ['flipH', '1'],
  ],
  'trap-t': [
    ['shape', 'trapezoid'],
    ['perimeter', 'trapezoidPerimeter'],
    ['size', '0.2'],
    ['flipV', '1'],
  ],
  'bow-rect': [['shape', 'mxgraph.flowchart.stored_data']],
  brace: [['shape', 'curlyBracket']],
  'notch-pent': [['shape', 'mxgraph.flowchart.loop_limit']],
  note: [
    ['shape', 'note'],
    ['size', '12'],
  ],
}

/** draw.io entries for a node drawn from Mermaid, or null when the geo kind's own style fits. */
export function mermaidStyle(meta: Readonly<Record<string, unknown>>, geo: GeoKind): Entries | null {
  const name = meta.mermaidShape
  if (typeof name !== 'string' || !Object.hasOwn(MERMAID_TO_STYLE, name)) return null
  return [...MERMAID_TO_STYLE[name]!, [GEO_HINT_KEY, geo]]
}
