/**
 * How a draw.io vertex label is laid out in its geo shape: draw.io's inset (`spacing` plus the
 * per-side spacings, 2 px by default) instead of tldraw's 16 px × scale, shrunk where the box
 * could not hold a line or the widest word with it, and — only when even no inset leaves room for
 * the widest word — a smaller scale, since draw.io lets such a word stick out whole where tldraw
 * would break it. Must not touch: records, rendering.
 */
import type { TLDefaultFontStyle, TLRichText } from '@tldraw/tlschema'
import { DRAWIO_LINE_HEIGHT, MAX_LABEL_PADDING, TLDRAW_LABEL_PADDING } from '../document/labelPadding'
import { richTextToPlain } from './richText'
import { type Style, styleNumber } from './style'
import { longestWordWidth } from './textWidth'

/** draw.io's label inset when a style has no `spacing` (mxText's default). */
const DEFAULT_SPACING = 2
/** Page px added to a widest word's estimated width (the estimate has no kerning or hinting). */
export const WORD_SLACK = 2
/** A label is never shrunk below this share of the file's font size to fit a word. */
const MIN_FIT_SCALE = 0.6

export interface LabelFit {
  /** The label's inset in page px. */
  padding: number
  /** The shape's scale: the style's, or smaller when the widest word needs it. */
  scale: number
}

export interface LabelFitInput {
  style: Style
  label: TLRichText
  w: number
  h: number
  font: TLDefaultFontStyle
  /** The label's font size (px) at `scale`. */
  fontSize: number
  scale: number
}

const inset = (style: Style, a: string, b: string) =>
  styleNumber(style, 'spacing', DEFAULT_SPACING) + (styleNumber(style, a, 0) + styleNumber(style, b, 0)) / 2

/**
 * draw.io's label layout for a geo shape, or undefined when the style's inset is tldraw's own at
 * `scale` (a Drawbridge export: it reads back as it was). The inset is the horizontal one (the wrap
 * width is what matters; tldraw has one padding for all sides), no larger than leaves a line's
 * height inside the box, then no larger than leaves the widest word room.
 */
export function fitLabel(input: LabelFitInput): LabelFit | undefined {
  const { style, w, h, fontSize, scale } = input
  const horizontal = Math.min(MAX_LABEL_PADDING, Math.max(0, inset(style, 'spacingLeft', 'spacingRight')))
  if (Math.abs(horizontal - TLDRAW_LABEL_PADDING * scale) < 0.01) return undefined
  const vertical = Math.max(0, inset(style, 'spacingTop', 'spacingBottom'))
  let padding = Math.min(horizontal, Math.max(vertical, (h - DRAWIO_LINE_HEIGHT * fontSize) / 2))
  const bold = JSON.stringify(input.label).includes('"type":"bold"')
  const widest = longestWordWidth(richTextToPlain(input.label), input.font, bold, fontSize)
  const word = widest + WORD_SLACK
  if (word <= w - 2 * padding) return { padding, scale }
  padding = Math.max(0, (w - word) / 2)
  if (word <= w) return { padding, scale }
  // Even without an inset the word is wider than the box: a smaller font, within reason.
  const shrink = (w - WORD_SLACK) / widest
  return shrink >= MIN_FIT_SCALE ? { padding: 0, scale: scale * shrink } : { padding: 0, scale }
}
