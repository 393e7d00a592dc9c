/**
 * Estimated label sizes in tldraw's `draw` font (size `m`), so a non-browser writer can size boxes
 * to fit their labels: tldraw does not compute `growY` for records it did not create. Estimates
 * err on the wide side. Owns: font metrics, wrapping, the box each node shape needs around its
 * label. Must not touch: records, layout, I/O.
 */
import type { NodeShape } from './spec'

/** tldraw's font sizes for size `m`, in px: geo/note labels, text shapes, arrow labels. */
export const FONT_PX = { label: 22, text: 24, arrow: 20 } as const
export const LINE_HEIGHT = 1.35
/** Space tldraw keeps between a geo shape's edge and its label. */
export const LABEL_PADDING = 16
/** Labels wrap at this text width; diamonds and other narrow shapes wrap earlier. */
export const WRAP_PX = 200
export const MIN_NODE = { w: 120, h: 60 } as const
/** tldraw notes are 200 px square at scale 1 and grow downwards. */
export const NOTE_SIDE = 200

export interface Size {
  w: number
  h: number
}

const NARROW = new Set([...'iljtfrI1.,:;!|\'"`()[]{} '])
const WIDE = new Set([...'mwMW@%&'])

/** Width of one character in em. Wide scripts and emoji take a full em. */
function charEm(char: string): number {
  const code = char.codePointAt(0) ?? 0
  if (code >= 0x1100) return 1.05
  if (NARROW.has(char)) return 0.38
  if (WIDE.has(char) || (char >= 'A' && char <= 'Z')) return 0.75
  return 0.6
}

export function textWidth(text: string, fontPx: number): number {
  let em = 0
  for (const char of text) em += charEm(char)
  return em * fontPx
}

/** Greedy word wrap at `maxWidth`; words longer than a line are broken. */
export function wrapText(text: string, maxWidth: number, fontPx: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const candidate = line ? `${line} ${word}` : word
      if (textWidth(candidate, fontPx) <= maxWidth) {
        line = candidate
        continue
      }
      if (line) lines.push(line)
      line = ''
      let rest = word
      while (textWidth(rest, fontPx) > maxWidth) {
        let cut = 1
        const chars = [...rest]
        while (cut < chars.length && textWidth(chars.slice(0, cut + 1).join(''), fontPx) <= maxWidth) cut++
        lines.push(chars.slice(0, cut).join(''))
        rest = chars.slice(cut).join('')
      }
      line = rest
    }
    lines.push(line)
  }
  return lines
}

/** The wrapped text block of a label: its widest line and total height. */
export function measureText(text: string, maxWidth: number, fontPx: number): Size & { lines: number } {
  const lines = wrapText(text, maxWidth, fontPx)
  const w = Math.max(0, ...lines.map((line) => textWidth(line, fontPx)))
  return { w, h: lines.length * fontPx * LINE_HEIGHT, lines: lines.length }
}

/** How much bigger than the padded text block each shape must be for the label to sit inside it. */
const SHAPE_FACTORS: Readonly<
  Record<Exclude<NodeShape, 'note' | 'text'>, { w: number; h: number; wrap: number }>
> = {
  rectangle: { w: 1, h: 1, wrap: WRAP_PX },
  ellipse: { w: 1.42, h: 1.42, wrap: WRAP_PX },
  oval: { w: 1, h: 1, wrap: WRAP_PX },
  diamond: { w: 1.6, h: 1.7, wrap: 160 },
  triangle: { w: 1.7, h: 1.9, wrap: 140 },
  hexagon: { w: 1.3, h: 1.1, wrap: WRAP_PX },
  cloud: { w: 1.45, h: 1.45, wrap: WRAP_PX },
  star: { w: 2, h: 2, wrap: 120 },
  trapezoid: { w: 1.35, h: 1.05, wrap: WRAP_PX },
  parallelogram: { w: 1.35, h: 1.05, wrap: WRAP_PX },
}
const MIN_BY_SHAPE: Partial<Record<NodeShape, Size>> = {
  diamond: { w: 160, h: 100 },
  triangle: { w: 140, h: 110 },
  star: { w: 140, h: 140 },
  ellipse: { w: 130, h: 70 },
  cloud: { w: 150, h: 90 },
}

const roundUp = (value: number) => Math.ceil(value / 10) * 10

/** The size a node needs so its label fits (multiples of 10 px, at least 120×60 for geo shapes). */
export function nodeSize(label: string, shape: NodeShape = 'rectangle'): Size {
  if (shape === 'note') {
    const text = measureText(label, NOTE_SIDE - 2 * LABEL_PADDING, FONT_PX.label)
    return { w: NOTE_SIDE, h: Math.max(NOTE_SIDE, roundUp(text.h + 2 * LABEL_PADDING)) }
  }
  if (shape === 'text') {
    const text = measureText(label, WRAP_PX, FONT_PX.text)
    return {
      w: roundUp(Math.max(40, text.w + 24)),
      h: roundUp(Math.max(FONT_PX.text * LINE_HEIGHT, text.h) + 8),
    }
  }
  const factor = SHAPE_FACTORS[shape]
  const text = measureText(label, factor.wrap, FONT_PX.label)
  let w = (text.w + 2 * LABEL_PADDING) * factor.w
  const h = (text.h + 2 * LABEL_PADDING) * factor.h
  if (shape === 'oval') w += h / 2
  const min = MIN_BY_SHAPE[shape] ?? MIN_NODE
  return { w: roundUp(Math.max(min.w, w + 8)), h: roundUp(Math.max(min.h, h + 4)) }
}

/** The box an arrow label takes (tldraw draws it on the arrow, wrapped). */
export function edgeLabelSize(label: string): Size {
  const text = measureText(label, 160, FONT_PX.arrow)
  return { w: Math.ceil(text.w + 12), h: Math.ceil(text.h + 8) }
}

/** A frame heading's height above the frame (tldraw draws frame names outside, on top). */
export const FRAME_HEADING = 36
