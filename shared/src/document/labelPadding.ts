/**
 * A geo shape's label padding when it is not tldraw's own: `meta.labelPadding`, in page px, set by
 * the draw.io import from a cell's `spacing` (draw.io insets a label by 2 px where tldraw insets it
 * by 16 px × scale, so a label that fits its draw.io box would be clipped or broken on the board).
 * The browser draws geo labels with it (`client/src/board/shapeUtils.ts`); the draw.io export
 * writes it back as `spacing`. Must not touch: rendering, records other than reading their meta.
 */

export const LABEL_PADDING_META_KEY = 'labelPadding'
/** tldraw 5's label padding of geo shapes, in the label's unscaled units (× scale on the page). */
export const TLDRAW_LABEL_PADDING = 16
/** Paddings past this (page px) are not a label inset: ignored. */
export const MAX_LABEL_PADDING = 200

/** The shape's own label padding in page px, or undefined when it uses tldraw's. */
export function labelPaddingOf(meta: Readonly<Record<string, unknown>>): number | undefined {
  const value = meta[LABEL_PADDING_META_KEY]
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_LABEL_PADDING
    ? value
    : undefined
}
