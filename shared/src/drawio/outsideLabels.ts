/**
 * Labels draw.io draws outside their shape (`verticalLabelPosition=bottom|top`,
 * `labelPosition=left|right`: the usual look of icons, stencils and images) or turned a quarter
 * turn inside it (`horizontal=0`: lanes, side headers). tldraw draws a geo label inside the shape,
 * upright, and clips it, and image shapes have no label, so such a label becomes its own text
 * shape where draw.io puts it (turned with it). Owns: where that text goes. Must not touch: records.
 */
import { labelSize } from './edgeLabels'
import { type Box, LINE_HEIGHT } from './geometry'
import { BARE_NAME, type Style } from './style'

/** Gap draw.io leaves between a shape and a label outside it (px). */
const OUTSIDE_GAP = 2
/** Average glyph width relative to the font size (estimate, as in edgeLabels.ts). */
const GLYPH_WIDTH = 0.6

/** draw.io's `image` style puts the label below the image unless the cell says otherwise. */
function verticalPosition(style: Style): string | undefined {
  const image = style.get(BARE_NAME) === 'image' || style.get('shape') === 'image'
  return style.get('verticalLabelPosition') ?? (image ? 'bottom' : undefined)
}

/** True when the style puts the label outside the shape's box. */
export function isOutsideLabel(style: Style): boolean {
  const vertical = verticalPosition(style)
  const horizontal = style.get('labelPosition')
  return vertical === 'bottom' || vertical === 'top' || horizontal === 'left' || horizontal === 'right'
}

/** True when draw.io draws the label turned a quarter turn, read from bottom to top (`horizontal=0`). */
export function isVerticalLabel(style: Style): boolean {
  return style.get('horizontal') === '0'
}

/**
 * The unrotated text box (page px) of a label turned a quarter turn in `box`: as long as the box
 * is tall, as high as its lines, centred on the box (the caller turns it by -90° about its centre).
 */
export function verticalLabelBox(box: Box, text: string, fontSize: number): Box {
  const h = text.split('\n').length * fontSize * LINE_HEIGHT
  return { x: box.x + box.w / 2 - box.h / 2, y: box.y + box.h / 2 - h / 2, w: box.h, h }
}

/**
 * The text box (page px) and the alignment of a label outside `box`. Wrapped labels take the
 * shape's width (as draw.io wraps them), never narrower than their longest word.
 */
export function outsideLabelBox(
  style: Style,
  box: Box,
  text: string,
  fontSize: number,
): { box: Box; align: 'left' | 'center' | 'right' } {
  const longestWord = Math.max(1, ...text.split(/\s+/).map((word) => word.length))
  const natural = labelSize(text, fontSize)
  const wrap = style.get('whiteSpace') === 'wrap'
  const w = wrap ? Math.max(box.w, longestWord * fontSize * GLYPH_WIDTH + fontSize) : natural.w
  const h = wrap ? Math.max(natural.h, Math.ceil(natural.w / w) * fontSize * LINE_HEIGHT) : natural.h
  const vertical = verticalPosition(style)
  const horizontal = style.get('labelPosition')
  const x =
    horizontal === 'left'
      ? box.x - w - OUTSIDE_GAP
      : horizontal === 'right'
        ? box.x + box.w + OUTSIDE_GAP
        : box.x + box.w / 2 - w / 2
  const y =
    vertical === 'bottom'
      ? box.y + box.h + OUTSIDE_GAP
      : vertical === 'top'
        ? box.y - h - OUTSIDE_GAP
        : box.y + box.h / 2 - h / 2
  const align = horizontal === 'left' ? 'right' : horizontal === 'right' ? 'left' : 'center'
  return { box: { x, y, w, h }, align }
}
