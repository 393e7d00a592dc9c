/**
 * Mermaid without Mermaid: flowcharts, sequence, class, state and ER diagrams → diagram spec.
 * Owns: choosing the reader for a Mermaid text. Must not touch: records, layout, I/O.
 */
import { failure, type TextParse } from '../textParse'
import { parseMermaidClass } from './classDiagram'
import { parseMermaidEr } from './er'
import { parseMermaidFlowchart } from './flowchart'
import { readPreamble } from './preamble'
import { parseMermaidSequence } from './sequence'
import { parseMermaidState } from './state'

export { parseMermaidClass } from './classDiagram'
export { parseMermaidEr } from './er'
export { parseMermaidFlowchart } from './flowchart'
export { looksLikeMermaidFlowchart } from './header'
export { cleanMermaidLabel } from './labels'
export { parseMermaidSequence } from './sequence'
export { MERMAID_SHAPE_NAMES } from './shapes'
export { parseMermaidState } from './state'

export type MermaidKind = 'flowchart' | 'sequence' | 'class' | 'state' | 'er'

const KINDS: ReadonlyArray<readonly [RegExp, MermaidKind, (text: string) => TextParse]> = [
  [/^(graph|flowchart|flowchart-elk)\b/i, 'flowchart', parseMermaidFlowchart],
  [/^sequenceDiagram\b/, 'sequence', parseMermaidSequence],
  [/^classDiagram(-v2)?\b/, 'class', parseMermaidClass],
  [/^stateDiagram(-v2)?\b/, 'state', parseMermaidState],
  [/^erDiagram\b/, 'er', parseMermaidEr],
]

/** Which drawable Mermaid diagram `text` is (after front matter, directives and comments), or null. */
export function mermaidKind(text: string): MermaidKind | null {
  const first =
    readPreamble(text)
      .lines.find((line) => line.trim() !== '')
      ?.trim() ?? ''
  return KINDS.find(([header]) => header.test(first))?.[1] ?? null
}

/** Parses any drawable Mermaid diagram; the header decides which reader. */
export function parseMermaid(text: string): TextParse {
  const first =
    readPreamble(text)
      .lines.find((line) => line.trim() !== '')
      ?.trim() ?? ''
  const reader = KINDS.find(([header]) => header.test(first))
  if (!reader) {
    return failure(
      1,
      'expected a Mermaid header: "flowchart LR", "sequenceDiagram", "classDiagram", "stateDiagram-v2" or "erDiagram"',
    )
  }
  return reader[2](text)
}
