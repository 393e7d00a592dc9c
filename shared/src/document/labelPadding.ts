/**
 * A geo shape's label layout when it is draw.io's rather than tldraw's: `meta.labelPadding` (page
 * px, from the cell's `spacing`: draw.io insets a label by 2 px where tldraw insets it by 16 px ×
 * scale, so a label that fits its draw.io box would be clipped or broken on the board) and
 * `meta.labelLineHeight` (draw.io's 1.2 where tldraw's is 1.35, so as many lines fit the box as in
 * draw.io), both set by the draw.io import. The browser draws geo labels with them
 * (`client/src/board/shapeUtils.ts`); the draw.io export writes the padding back as `spacing`.
 * Must not touch: rendering, records other than reading their meta.
 */

export const LABEL_PADDING_META_KEY = 'labelPadding'
/** tldraw 5's label padding of geo shapes, in the label's unscaled units (× scale on the page). */
export const TLDRAW_LABEL_PADDING = 16
/** Paddings past this (page px) are not a label inset: ignored. */
export const MAX_LABEL_PADDING = 200

export const LABEL_LINE_HEIGHT_META_KEY = 'labelLineHeight'
/** draw.io's line height of labels (mxgraph's `LINE_HEIGHT`, a multiple of the font size). */
export const DRAWIO_LINE_HEIGHT = 1.2
const MIN_LINE_HEIGHT = 0.8
const MAX_LINE_HEIGHT = 3

/** The shape's own label line height (a multiple of the font size), or undefined for tldraw's. */
export function labelLineHeightOf(meta: Readonly<Record<string, unknown>>): number | undefined {
  const value = meta[LABEL_LINE_HEIGHT_META_KEY]
  return typeof value === 'number' && value >= MIN_LINE_HEIGHT && value <= MAX_LINE_HEIGHT ? value : undefined
}

/** The shape's own label padding in page px, or undefined when it uses tldraw's. */
export function labelPaddingOf(meta: Readonly<Record<string, unknown>>): number | undefined {
  const value = meta[LABEL_PADDING_META_KEY]
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_LABEL_PADDING
    ? value
    : undefined
}
