/**
 * One resolved draw.io vertex → tldraw shape record(s): geo, text, note, frame, group, image (+
 * asset), or a labelled rectangle for stencils tldraw has no kind for. Positions arrive already
 * absolute; this file only turns draw.io's centre rotation into tldraw's origin rotation.
 * Must not touch: edges, page assembly, indexes.
 */
import {
  AssetRecordType,
  createShapeId,
  type TLAsset,
  type TLAssetId,
  type TLParentId,
  type TLRichText,
  type TLShape,
} from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import {
  DRAWIO_LINE_HEIGHT,
  LABEL_LINE_HEIGHT_META_KEY,
  LABEL_PADDING_META_KEY,
} from '../document/labelPadding'
import {
  EMBEDDED_PREFIX,
  formatSize,
  imagePlaceholder,
  OVERSIZED_PREFIX,
  UNREADABLE_IMAGE,
} from './embeddedImages'
import { SHAPE_HINT_KEY } from './exportStyles'
import { type Box, NOTE_SIDE, rotate } from './geometry'
import { type GeoKind, geoKindOf, shapeName } from './geoStyles'
import {
  alignOf,
  colorOf,
  dashOf,
  fillOf,
  fontOf,
  fontSizeOf,
  labelColorOf,
  opacityOf,
  rotationOf,
  sizeAndScale,
  verticalAlignOf,
} from './importStyles'
import { fitLabel, WORD_SLACK } from './labelFit'
import { LABEL_FONT_SIZES, nearestColor, TEXT_FONT_SIZES } from './palette'
import { richTextToPlain } from './richText'
import { BARE_NAME, type Style } from './style'
import { longestWordWidth } from './textWidth'

export type VertexKind = 'geo' | 'text' | 'note' | 'frame' | 'group' | 'image' | 'stencil'

export interface PlacedVertex {
  style: Style
  label: TLRichText
  /** Absolute page box (unrotated) after the import origin is applied. */
  box: Box
  /** Absolute position of the tldraw parent (page origin or a frame/group). */
  parentOrigin: { x: number; y: number }
  parentId: TLParentId
  index: IndexKey
  /** The asset of the file's n-th embedded image (one per distinct image). */
  embeddedAsset(n: number, w: number, h: number): TLAssetId | undefined
  /** The per-image limit, for the placeholder's sentence. */
  maxImageBytes: number
}

export interface ImportedVertex {
  shape: TLShape
  asset?: TLAsset
  /** Why the cell did not become what it is in draw.io (listed in the import reply). */
  skipped?: string
}

const SAFE_IMAGE = /^(data:image\/(png|jpe?g|gif|webp|svg\+xml|bmp)[;,]|https?:\/\/)/i
const MIN_SIDE = 1

/** What a vertex style becomes in tldraw. */
export function vertexKind(style: Style): VertexKind {
  const name = style.get(BARE_NAME)
  const hint = style.get(SHAPE_HINT_KEY)
  if (
    hint === 'frame' ||
    style.get('container') === '1' ||
    name === 'swimlane' ||
    shapeName(style) === 'swimlane'
  )
    return 'frame'
  if (name === 'group') return 'group'
  if (name === 'text' || hint === 'text-auto') return 'text'
  if (shapeName(style) === 'note') return 'note'
  if (name === 'image' || style.get('shape') === 'image') return 'image'
  return geoKindOf(style) ? 'geo' : 'stencil'
}

/**
 * A shape record with the fields every imported shape shares, its origin converted from draw.io's
 * centre rotation to tldraw's (rotated about its top-left). Records are written out in full here
 * rather than through the `document/records` builders: those validate each record, and
 * `mxfileToRecords` validates every record once at the end anyway (validating twice was a fifth
 * of a 5,000-cell import). `props` is checked by that final validation, not by the type.
 */
function shapeRecord<T extends TLShape['type']>(
  vertex: PlacedVertex,
  rotation: number,
  type: T,
  props: Extract<TLShape, { type: T }>['props'],
): TLShape {
  const { box } = vertex
  const half = rotate({ x: box.w / 2, y: box.h / 2 }, rotation)
  return {
    id: createShapeId(),
    typeName: 'shape',
    type,
    x: box.x + box.w / 2 - half.x - vertex.parentOrigin.x,
    y: box.y + box.h / 2 - half.y - vertex.parentOrigin.y,
    rotation,
    index: vertex.index,
    parentId: vertex.parentId,
    isLocked: false,
    opacity: opacityOf(vertex.style),
    meta: {},
    props,
  } as TLShape
}

/**
 * A geo shape at the label's own size: tldraw draws a geo label at LABEL_FONT_SIZES[size] × scale
 * and keeps `w`/`h` in page units (the label box is laid out at w/scale and scaled down), so a
 * 12 px label is size `s` at scale 12/18 in a box of the file's size. Its label keeps draw.io's
 * inset (`meta.labelPadding`, fitted by labelFit.ts) instead of tldraw's 16 px × scale, and
 * draw.io's line height (`meta.labelLineHeight`), so a label that fits its draw.io box fits the
 * shape.
 */
function geo(vertex: PlacedVertex, kind: GeoKind): TLShape {
  const { style } = vertex
  const color = colorOf(style)
  const { size, scale: fileScale } = sizeAndScale(style, LABEL_FONT_SIZES)
  const font = fontOf(style)
  const fit = fitLabel({
    style,
    label: vertex.label,
    w: vertex.box.w,
    h: vertex.box.h,
    font,
    fontSize: LABEL_FONT_SIZES[size] * fileScale,
    scale: fileScale,
  })
  const scale = fit?.scale ?? fileScale
  const shape = shapeRecord(vertex, rotationOf(style), 'geo', {
    geo: kind,
    dash: dashOf(style),
    url: '',
    w: Math.max(MIN_SIDE, vertex.box.w),
    h: Math.max(MIN_SIDE, vertex.box.h),
    growY: 0,
    scale,
    flipX: style.get('flipH') === '1' && kind !== 'rhombus-2',
    flipY: style.get('flipV') === '1',
    labelColor: labelColorOf(style),
    color,
    fill: fillOf(style, color),
    size,
    font,
    align: alignOf(style, 'middle'),
    verticalAlign: verticalAlignOf(style),
    richText: vertex.label,
  })
  return fit === undefined
    ? shape
    : {
        ...shape,
        meta: { [LABEL_PADDING_META_KEY]: fit.padding, [LABEL_LINE_HEIGHT_META_KEY]: DRAWIO_LINE_HEIGHT },
      }
}

/**
 * A text shape at the file's font size: tldraw draws it at TEXT_FONT_SIZES[size] × scale and
 * its `w` is unscaled, so `w` is the box width divided by the scale. Text that draw.io does not
 * wrap (no `whiteSpace=wrap`) sizes itself to its lines, as in draw.io. Wrapped text is at least
 * as wide as its widest word, grown about its alignment: draw.io lets a word wider than the box
 * stick out whole, tldraw would break it across lines.
 */
function text(vertex: PlacedVertex): TLShape {
  const { style } = vertex
  const auto =
    style.get(SHAPE_HINT_KEY) === 'text-auto' ||
    style.get('autosize') === '1' ||
    style.get('whiteSpace') !== 'wrap'
  const { size, scale } = sizeAndScale(style, TEXT_FONT_SIZES, undefined, false)
  const font = fontOf(style)
  const textAlign = alignOf(style, 'start')
  const bold = JSON.stringify(vertex.label).includes('"type":"bold"')
  const widest = longestWordWidth(richTextToPlain(vertex.label), font, bold, TEXT_FONT_SIZES[size] * scale)
  const extra = auto ? 0 : Math.max(0, Math.ceil(widest) + WORD_SLACK - vertex.box.w)
  const anchor = textAlign === 'start' ? 0 : textAlign === 'middle' ? 0.5 : 1
  const box = { ...vertex.box, x: vertex.box.x - extra * anchor, w: vertex.box.w + extra }
  return shapeRecord({ ...vertex, box }, rotationOf(style), 'text', {
    color: labelColorOf(style),
    size,
    font,
    textAlign,
    w: Math.max(MIN_SIDE, box.w / scale),
    richText: vertex.label,
    scale,
    autoSize: auto,
  })
}

function note(vertex: PlacedVertex): TLShape {
  const { style } = vertex
  const scale = Math.max(vertex.box.w, MIN_SIDE) / NOTE_SIDE
  return shapeRecord(vertex, rotationOf(style), 'note', {
    color: nearestColor(style.get('fillColor'), 'note') ?? 'yellow',
    labelColor: labelColorOf(style),
    size: fontSizeOf(style, LABEL_FONT_SIZES, scale),
    font: fontOf(style),
    fontSizeAdjustment: null,
    align: alignOf(style, 'middle'),
    verticalAlign: verticalAlignOf(style),
    growY: Math.max(0, vertex.box.h / scale - NOTE_SIDE),
    url: '',
    richText: vertex.label,
    scale,
    textLastEditedBy: null,
  })
}

function frame(vertex: PlacedVertex): TLShape {
  return shapeRecord(vertex, 0, 'frame', {
    w: Math.max(MIN_SIDE, vertex.box.w),
    h: Math.max(MIN_SIDE, vertex.box.h),
    name: richTextToPlain(vertex.label),
    color: nearestColor(vertex.style.get('fontColor')) ?? 'black',
  })
}

function group(vertex: PlacedVertex): TLShape {
  return shapeRecord(vertex, 0, 'group', {})
}

/** `data:image/png,<base64>` (draw.io's style form) → a regular base64 data URI. */
export function imageSrc(value: string): string {
  return value.replace(/^data:([^;,]+),(?!.*;base64)/, 'data:$1;base64,')
}

function embeddedImage(vertex: PlacedVertex, value: string): ImportedVertex {
  const w = Math.max(MIN_SIDE, vertex.box.w)
  const h = Math.max(MIN_SIDE, vertex.box.h)
  const placeholder = (reason: string): ImportedVertex => {
    const base = shapeRecord(vertex, rotationOf(vertex.style), 'geo', {} as never)
    return { shape: imagePlaceholder(base, w, h, reason), skipped: reason }
  }
  if (value.startsWith(OVERSIZED_PREFIX)) {
    const bytes = Number(value.slice(OVERSIZED_PREFIX.length))
    return placeholder(
      `Image not imported: ${formatSize(bytes)} is over the ${formatSize(vertex.maxImageBytes)} limit`,
    )
  }
  const assetId = vertex.embeddedAsset(Number(value.slice(EMBEDDED_PREFIX.length)), w, h)
  if (value === UNREADABLE_IMAGE || !assetId)
    return placeholder('Image not imported: its data is not a readable image')
  const shape = shapeRecord(vertex, rotationOf(vertex.style), 'image', {
    w,
    h,
    playing: true,
    url: '',
    assetId,
    crop: null,
    flipX: vertex.style.get('flipH') === '1',
    flipY: vertex.style.get('flipV') === '1',
    altText: '',
  })
  return { shape }
}

function image(vertex: PlacedVertex): ImportedVertex | null {
  const raw = vertex.style.get('image')?.replaceAll('%3B', ';')
  if (!raw) return null
  if (raw.startsWith(EMBEDDED_PREFIX) || raw.startsWith(OVERSIZED_PREFIX) || raw === UNREADABLE_IMAGE)
    return embeddedImage(vertex, raw)
  const src = imageSrc(raw)
  if (!SAFE_IMAGE.test(src)) return null
  const mimeType = /^data:([^;,]+)/.exec(src)?.[1] ?? null
  const asset: TLAsset = {
    id: AssetRecordType.createId(),
    typeName: 'asset',
    type: 'image',
    props: { w: vertex.box.w, h: vertex.box.h, name: 'drawio-image', isAnimated: false, mimeType, src },
    meta: {},
  }
  const shape = shapeRecord(vertex, rotationOf(vertex.style), 'image', {
    w: Math.max(MIN_SIDE, vertex.box.w),
    h: Math.max(MIN_SIDE, vertex.box.h),
    playing: true,
    url: '',
    assetId: asset.id,
    crop: null,
    flipX: vertex.style.get('flipH') === '1',
    flipY: vertex.style.get('flipV') === '1',
    altText: '',
  })
  return { shape, asset }
}

/** The records for a vertex; images whose source is not a safe URL become labelled rectangles. */
export function importVertex(vertex: PlacedVertex, kind: VertexKind): ImportedVertex {
  switch (kind) {
    case 'geo':
      return { shape: geo(vertex, geoKindOf(vertex.style) ?? 'rectangle') }
    case 'text':
      return { shape: text(vertex) }
    case 'note':
      return { shape: note(vertex) }
    case 'frame':
      return { shape: frame(vertex) }
    case 'group':
      return { shape: group(vertex) }
    case 'image':
      return image(vertex) ?? { shape: geo(vertex, 'rectangle') }
    case 'stencil':
      return { shape: geo(vertex, 'rectangle') }
  }
}
