/**
 * Builders for valid tldraw records, used by the server (room seeding), the agent and importers.
 * Every builder fills every prop (a non-browser peer gets no defaults from tldraw) and validates
 * the result against the schema, so a mistake throws here instead of breaking a browser.
 * Must not touch: Yjs, sockets, storage.
 */
import {
  createBindingId,
  createShapeId,
  DocumentRecordType,
  PageRecordType,
  type TLArrowBinding,
  type TLArrowShape,
  type TLArrowShapeArrowheadStyle,
  type TLArrowShapeKind,
  type TLBindingId,
  type TLDefaultColorStyle,
  type TLDefaultDashStyle,
  type TLDefaultFillStyle,
  type TLDefaultSizeStyle,
  TLDOCUMENT_ID,
  type TLDocument,
  type TLFrameShape,
  type TLGeoShape,
  type TLNoteShape,
  type TLPage,
  type TLPageId,
  type TLParentId,
  type TLRecord,
  type TLShapeId,
  type TLTextShape,
  toRichText,
} from '@tldraw/tlschema'
import { getIndexAbove, type IndexKey, type JsonObject, ZERO_INDEX_KEY } from '@tldraw/utils'
import { drawbridgeSchema } from './schema'

/** The id of the first page a new room is created with. */
export const FIRST_PAGE_ID = 'page:page' as TLPageId

type GeoKind = TLGeoShape['props']['geo']

/** Position, parent and stacking order shared by every shape builder. */
export interface ShapePlacement {
  id?: TLShapeId
  x: number
  y: number
  parentId?: TLParentId
  index: IndexKey
  rotation?: number
  /** Free-form JSON kept on the record (e.g. `{ jobKey }` for shapes drawn by a co-pilot job). */
  meta?: JsonObject
}

function validated<R extends TLRecord>(record: R): R {
  const type = drawbridgeSchema.types[record.typeName as keyof typeof drawbridgeSchema.types]
  return type.validate(record) as R
}

function shapeBase(placement: ShapePlacement) {
  return {
    id: placement.id ?? createShapeId(),
    typeName: 'shape' as const,
    x: placement.x,
    y: placement.y,
    rotation: placement.rotation ?? 0,
    index: placement.index,
    parentId: placement.parentId ?? FIRST_PAGE_ID,
    isLocked: false,
    opacity: 1,
    meta: placement.meta ?? {},
  }
}

/** The `document:document` record a room starts with. */
export function buildDocumentRecord(name = ''): TLDocument {
  return validated(DocumentRecordType.create({ id: TLDOCUMENT_ID, name, gridSize: 10, meta: {} }))
}

/** A page record; `index` orders pages in the page menu. */
export function buildPage(options: { id?: TLPageId; name: string; index?: IndexKey }): TLPage {
  return validated(
    PageRecordType.create({
      id: options.id ?? PageRecordType.createId(),
      name: options.name,
      index: options.index ?? getIndexAbove(ZERO_INDEX_KEY),
      meta: {},
    }),
  )
}

export interface GeoOptions extends ShapePlacement {
  w: number
  h: number
  geo?: GeoKind
  text?: string
  color?: TLDefaultColorStyle
  fill?: TLDefaultFillStyle
  size?: TLDefaultSizeStyle
  dash?: TLDefaultDashStyle
}

/** A geo shape (rectangle, ellipse, diamond, …) with an optional centred label. */
export function buildGeoShape(options: GeoOptions): TLGeoShape {
  return validated<TLGeoShape>({
    ...shapeBase(options),
    type: 'geo',
    props: {
      geo: options.geo ?? 'rectangle',
      dash: options.dash ?? 'draw',
      url: '',
      w: options.w,
      h: options.h,
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color: options.color ?? 'black',
      fill: options.fill ?? 'none',
      size: options.size ?? 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: toRichText(options.text ?? ''),
    },
  })
}

export interface TextOptions extends ShapePlacement {
  text: string
  w?: number
  color?: TLDefaultColorStyle
  size?: TLDefaultSizeStyle
}

/** A free text shape; auto-sized unless a width is given. */
export function buildTextShape(options: TextOptions): TLTextShape {
  return validated<TLTextShape>({
    ...shapeBase(options),
    type: 'text',
    props: {
      color: options.color ?? 'black',
      size: options.size ?? 'm',
      font: 'draw',
      textAlign: 'start',
      w: options.w ?? 8,
      richText: toRichText(options.text),
      scale: 1,
      autoSize: options.w === undefined,
    },
  })
}

export interface NoteOptions extends ShapePlacement {
  text: string
  color?: TLDefaultColorStyle
  /** Extra height below the 200 px square, for labels that do not fit (tldraw only computes it itself in a browser). */
  growY?: number
}

/** A sticky note (tldraw notes are 200×200 at scale 1). */
export function buildNoteShape(options: NoteOptions): TLNoteShape {
  return validated<TLNoteShape>({
    ...shapeBase(options),
    type: 'note',
    props: {
      color: options.color ?? 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: null,
      align: 'middle',
      verticalAlign: 'middle',
      growY: options.growY ?? 0,
      url: '',
      richText: toRichText(options.text),
      scale: 1,
      textLastEditedBy: null,
    },
  })
}

export interface FrameOptions extends ShapePlacement {
  w: number
  h: number
  name: string
}

/** A frame: a named container whose children are parented to it. */
export function buildFrameShape(options: FrameOptions): TLFrameShape {
  return validated<TLFrameShape>({
    ...shapeBase(options),
    type: 'frame',
    props: { w: options.w, h: options.h, name: options.name, color: 'black' },
  })
}

export interface ArrowOptions {
  id?: TLShapeId
  /** `anchor`: where the end attaches (0–1 across the shape, exact); the shape's centre when left out. */
  from: { id: TLShapeId; x: number; y: number; anchor?: { x: number; y: number } }
  to: { id: TLShapeId; x: number; y: number; anchor?: { x: number; y: number } }
  /** Must sort above the indexes of both ends, or browsers re-index the arrow and echo it back. */
  index: IndexKey
  parentId?: TLParentId
  text?: string
  color?: TLDefaultColorStyle
  dash?: TLDefaultDashStyle
  /** `arc` (default, straight unless bent) or `elbow` (orthogonal, routed by tldraw). */
  kind?: TLArrowShapeKind
  /** How far an `arc` arrow bows out from the straight line, in pixels. */
  bend?: number
  arrowheadStart?: TLArrowShapeArrowheadStyle
  arrowheadEnd?: TLArrowShapeArrowheadStyle
  /** Fixed ids for the two bindings (deterministic writers); random when left out. */
  bindingIds?: { start: TLBindingId; end: TLBindingId }
  /** Kept on the arrow and both bindings. */
  meta?: JsonObject
}

/** An arrow between two shapes, plus its start and end bindings: three records. */
export function buildBoundArrow(options: ArrowOptions): [TLArrowShape, TLArrowBinding, TLArrowBinding] {
  const arrowId = options.id ?? createShapeId()
  const arrow = validated<TLArrowShape>({
    ...shapeBase({
      id: arrowId,
      x: options.from.x,
      y: options.from.y,
      index: options.index,
      parentId: options.parentId,
      meta: options.meta,
    }),
    type: 'arrow',
    props: {
      kind: options.kind ?? 'arc',
      labelColor: 'black',
      color: options.color ?? 'black',
      fill: 'none',
      dash: options.dash ?? 'draw',
      size: 'm',
      arrowheadStart: options.arrowheadStart ?? 'none',
      arrowheadEnd: options.arrowheadEnd ?? 'arrow',
      font: 'draw',
      start: { x: 0, y: 0 },
      end: { x: options.to.x - options.from.x, y: options.to.y - options.from.y },
      bend: options.bend ?? 0,
      richText: toRichText(options.text ?? ''),
      labelPosition: 0.5,
      scale: 1,
      elbowMidPoint: 0.5,
    },
  })
  const binding = (terminal: 'start' | 'end', end: ArrowOptions['from']): TLArrowBinding =>
    validated<TLArrowBinding>(
      arrowBinding(arrowId, terminal, end.id, end.anchor, {
        id: options.bindingIds?.[terminal],
        meta: options.meta,
      }),
    )
  return [arrow, binding('start', options.from), binding('end', options.to)]
}

/**
 * An arrow's binding to the shape at one of its ends: at `anchor` (fractions of the shape's box,
 * precise) or the shape's centre (imprecise). Not validated: callers validate what they write.
 */
export function arrowBinding(
  arrowId: TLShapeId,
  terminal: 'start' | 'end',
  toId: TLShapeId,
  anchor: { x: number; y: number } | undefined,
  extra: { id?: TLBindingId | undefined; meta?: TLArrowBinding['meta'] | undefined } = {},
): TLArrowBinding {
  return {
    id: extra.id ?? createBindingId(),
    typeName: 'binding',
    type: 'arrow',
    fromId: arrowId,
    toId,
    props: {
      terminal,
      normalizedAnchor: anchor ?? { x: 0.5, y: 0.5 },
      isExact: false,
      isPrecise: anchor !== undefined,
      snap: 'none',
    },
    meta: extra.meta ?? {},
  }
}
