/**
 * Diagram styles ↔ tldraw props: node shapes to geo kinds (and back, for describing a board).
 * Must not touch: records, layout, I/O.
 */
import type { TLGeoShape } from '@tldraw/tlschema'
import type { NodeShape } from './spec'

export type GeoKind = TLGeoShape['props']['geo']

/** The tldraw geo for a node shape; `note` and `text` are other shape types (null here). */
export function geoFor(shape: NodeShape | undefined): GeoKind | null {
  switch (shape) {
    case undefined:
      return 'rectangle'
    case 'note':
    case 'text':
      return null
    case 'parallelogram':
      return 'rhombus'
    default:
      return shape
  }
}

/** A tldraw geo in diagram words (`rhombus` is shown as parallelogram). */
export function geoName(geo: GeoKind): string {
  return geo === 'rhombus' || geo === 'rhombus-2' ? 'parallelogram' : geo
}
