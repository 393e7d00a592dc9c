/**
 * The two readability checks of a rendered label, run inside the browser page on both sides of the
 * draw.io readability benchmark (Drawbridge's board and draw.io's own viewer), so both are judged by
 * the same code: every glyph lies inside the label's shape (for labels drawn in a box), and no word
 * is broken across lines. Injected into the page as source (`LABEL_CHECK_SOURCE`): the function
 * must not use anything from its module.
 */

/** A rectangle in client (CSS) pixels. */
export interface ClientBox {
  left: number
  top: number
  right: number
  bottom: number
}

/** What is checked of a label: `box` when it must lie inside its shape, else only its words. */
export interface LabelCheckInput {
  root: Element
  box: ClientBox | null
  /** How far (client px) a glyph may stick out of the box: sub-pixel rounding. */
  tolerance: number
}

export interface LabelVerdict {
  text: string
  outside: boolean
  brokenWords: string[]
}

/** Runs in the page. Words are runs of non-space characters within one text node. */
export function checkLabel(input: LabelCheckInput): LabelVerdict {
  const { root, box, tolerance } = input
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  let text = ''
  let outside = false
  const brokenWords: string[] = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const content = node.textContent ?? ''
    text += `${content} `
    for (const match of content.matchAll(/\S+/g)) {
      const range = document.createRange()
      range.setStart(node, match.index)
      range.setEnd(node, match.index + match[0].length)
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
      // A word is broken when its glyphs sit on more than one line (boxes whose tops differ by
      // more than half a line).
      const tops = rects.map((r) => r.top).sort((a, b) => a - b)
      const lineGap = Math.max(...rects.map((r) => r.height), 0) / 2
      if (tops.length > 1 && tops[tops.length - 1]! - tops[0]! > lineGap) brokenWords.push(match[0])
      if (!box) continue
      for (const r of rects) {
        if (
          r.left < box.left - tolerance ||
          r.right > box.right + tolerance ||
          r.top < box.top - tolerance ||
          r.bottom > box.bottom + tolerance
        )
          outside = true
      }
    }
  }
  return { text: text.replace(/\s+/g, ' ').trim(), outside, brokenWords }
}

/** The page-side definition: `window.__checkLabel`, and the `__name` helper tsx's output may call. */
export const LABEL_CHECK_SOURCE = `
window.__name = window.__name || ((fn) => fn);
window.__checkLabel = ${checkLabel.toString()};
`
