/**
 * One tldraw shape → one draw.io vertex description (style, label, unrotated size). Arrows and
 * freehand strokes are edges (exportEdges.ts); anything else without a mapping returns a reason.
 * Must not touch: XML writing, page layout.
 */
import type { TLAsset, TLShape } from '@tldraw/tlschema'
import { labelPaddingOf, TLDRAW_LABEL_PADDING } from '../document/labelPadding'
import {
  dashEntries,
  type Entries,
  fillEntries,
  fontEntries,
  SHAPE_HINT_KEY,
  strokeEntries,
} from './exportStyles'
import { LINE_HEIGHT, NOTE_SIDE, TEXT_PADDING } from './geometry'
import { GEO_TO_STYLE } from './geoStyles'
import { mermaidStyle } from './mermaidStyles'
import { LABEL_FONT_SIZES, PALETTE, STROKE_WIDTHS, TEXT_FONT_SIZES } from './palette'
import { richTextToHtml, richTextToPlain } from './richText'
import { BARE_NAME, escapeHtml } from './style'

export interface Vertex {
  style: Entries
  /** HTML label markup (not yet XML-escaped). */
  label: string
  w: number
  h: number
  /** Frames and groups hold their children as draw.io children with relative coordinates. */
  container: boolean
}

export type VertexResult = { ok: true; vertex: Vertex } | { ok: false; reason: string }

const TEXT_BASE: Entries = [
  ['whiteSpace', 'wrap'],
  ['html', '1'],
]
const FRAME_LABEL: Entries = [
  ['verticalLabelPosition', 'top'],
  ['labelPosition', 'center'],
  ['verticalAlign', 'bottom'],
  ['align', 'left'],
]
const ALIGN: Readonly<Record<string, string>> = {
  start: 'left',
  middle: 'center',
  end: 'right',
  'start-legacy': 'left',
  'middle-legacy': 'center',
  'end-legacy': 'right',
}
const VERTICAL_ALIGN: Readonly<Record<string, string>> = { start: 'top', middle: 'middle', end: 'bottom' }

function geoVertex(shape: Extract<TLShape, { type: 'geo' }>): Vertex {
  const p = shape.props
  return {
    style: [
      ...(mermaidStyle(shape.meta, p.geo) ?? GEO_TO_STYLE[p.geo]),
      ...TEXT_BASE,
      ...strokeEntries(p.color, STROKE_WIDTHS[p.size] * p.scale),
      ...fillEntries(p.color, p.fill),
      ...dashEntries(p.dash),
      ...fontEntries(p.labelColor, p.font, p.size, LABEL_FONT_SIZES, p.scale),
      ['align', ALIGN[p.align] ?? 'center'],
      ['verticalAlign', VERTICAL_ALIGN[p.verticalAlign] ?? 'middle'],
      // The label's inset as the board draws it (draw.io's own is 2 px): same wrapping in both.
      ['spacing', labelPaddingOf(shape.meta) ?? TLDRAW_LABEL_PADDING * p.scale],
      ['flipH', p.flipX ? '1' : undefined],
      ['flipV', p.flipY ? '1' : undefined],
      ['link', p.url || undefined],
    ],
    label: richTextToHtml(p.richText),
    w: p.w,
    h: p.h + p.growY,
    container: false,
  }
}

function textVertex(shape: Extract<TLShape, { type: 'text' }>): Vertex {
  const p = shape.props
  const lines = Math.max(1, richTextToPlain(p.richText).split('\n').length)
  const fontSize = TEXT_FONT_SIZES[p.size]
  return {
    style: [
      [BARE_NAME, 'text'],
      ...TEXT_BASE,
      ['strokeColor', 'none'],
      ['fillColor', 'none'],
      ...fontEntries(p.color, p.font, p.size, TEXT_FONT_SIZES, p.scale),
      ['align', ALIGN[p.textAlign] ?? 'left'],
      ['verticalAlign', 'top'],
      [SHAPE_HINT_KEY, p.autoSize ? 'text-auto' : undefined],
    ],
    label: richTextToHtml(p.richText),
    w: p.w * p.scale,
    h: (lines * fontSize * LINE_HEIGHT + TEXT_PADDING) * p.scale,
    container: false,
  }
}

function noteVertex(shape: Extract<TLShape, { type: 'note' }>): Vertex {
  const p = shape.props
  return {
    style: [
      ['shape', 'note'],
      ['size', 15],
      ...TEXT_BASE,
      ['strokeColor', 'none'],
      ['fillColor', PALETTE[p.color].note],
      ['shadow', '1'],
      ...fontEntries(p.labelColor, p.font, p.size, LABEL_FONT_SIZES, p.scale),
      ['align', ALIGN[p.align] ?? 'center'],
      ['verticalAlign', VERTICAL_ALIGN[p.verticalAlign] ?? 'middle'],
      ['link', p.url || undefined],
    ],
    label: richTextToHtml(p.richText),
    w: NOTE_SIDE * p.scale,
    h: (NOTE_SIDE + p.growY) * p.scale,
    container: false,
  }
}

function frameVertex(shape: Extract<TLShape, { type: 'frame' }>): Vertex {
  const p = shape.props
  return {
    style: [
      ['rounded', '0'],
      ...TEXT_BASE,
      ['container', '1'],
      ['collapsible', '0'],
      ['strokeColor', '#717171'],
      ['fillColor', '#ffffff'],
      ['fontColor', PALETTE[p.color].solid],
      ...FRAME_LABEL,
      [SHAPE_HINT_KEY, 'frame'],
    ],
    label: richTextToHtml({
      type: 'doc',
      content: [{ type: 'paragraph', content: p.name ? [{ type: 'text', text: p.name }] : [] }],
    }),
    w: p.w,
    h: p.h,
    container: true,
  }
}

/** draw.io's data-URI form in styles: `data:image/png,<base64>` (`;base64` would end the value). */
export function imageStyleValue(src: string): string {
  return src.replace(/^data:([^;,]+);base64,/, 'data:$1,')
}

function imageVertex(
  shape: Extract<TLShape, { type: 'image' }>,
  assets: ReadonlyMap<string, TLAsset>,
): VertexResult {
  const p = shape.props
  const asset = p.assetId ? assets.get(p.assetId) : undefined
  const src = asset && asset.type === 'image' ? asset.props.src : p.url || null
  if (!src) return { ok: false, reason: 'image has no asset data or URL' }
  return {
    ok: true,
    vertex: {
      style: [
        [BARE_NAME, 'image'],
        ['html', '1'],
        ['imageAspect', '0'],
        ['aspect', 'fixed'],
        ['image', imageStyleValue(src)],
        ['flipH', p.flipX ? '1' : undefined],
        ['flipV', p.flipY ? '1' : undefined],
      ],
      label: '',
      w: p.w,
      h: p.h,
      container: false,
    },
  }
}

const SAFE_LINK = /^(https?:|mailto:)/i

/** Bookmarks and embeds: a rounded rectangle labelled with the URL, linked when the scheme is safe. */
function linkVertex(url: string, w: number, h: number): Vertex {
  const safe = SAFE_LINK.test(url)
  return {
    style: [['rounded', '1'], ...TEXT_BASE, ['link', safe ? url : undefined]],
    label: safe ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url),
    w,
    h,
    container: false,
  }
}

/** The vertex for a shape, or why it has none. Groups get their size from their children (caller). */
export function vertexFor(shape: TLShape, assets: ReadonlyMap<string, TLAsset>): VertexResult {
  switch (shape.type) {
    case 'geo':
      return { ok: true, vertex: geoVertex(shape) }
    case 'text':
      return { ok: true, vertex: textVertex(shape) }
    case 'note':
      return { ok: true, vertex: noteVertex(shape) }
    case 'frame':
      return { ok: true, vertex: frameVertex(shape) }
    case 'image':
      return imageVertex(shape, assets)
    case 'group':
      return { ok: true, vertex: { style: [[BARE_NAME, 'group']], label: '', w: 0, h: 0, container: true } }
    case 'bookmark':
    case 'embed':
      return { ok: true, vertex: linkVertex(shape.props.url, shape.props.w, shape.props.h) }
    default:
      return { ok: false, reason: `no draw.io mapping for ${shape.type} shapes` }
  }
}
