/**
 * Mermaid headers and directions: the flowchart header (`graph TD`, `flowchart LR`, …), the
 * direction words every diagram type uses (`TB`, `TD`, `BT`, `LR`, `RL`), and whether a text is
 * a flowchart. Owns: those words. Must not touch: statements.
 */
import type { DiagramDirection } from '../spec'
import { type MermaidSource, readPreamble } from './preamble'

export const FLOWCHART_HEADER =
  /^(?:graph|flowchart|flowchart-elk)\b(?:[ \t]+(TD|TB|BT|RL|LR|[<>^v])(?![\w-]))?[ \t]*(.*)$/is
export const DIRECTIONS: Readonly<Record<string, DiagramDirection>> = {
  TD: 'down',
  TB: 'down',
  BT: 'up',
  LR: 'right',
  RL: 'left',
  '>': 'right',
  '<': 'left',
  '^': 'up',
  V: 'down',
}
/** The first statement line of `source` when it is a flowchart header, else -1. */
export function flowchartStart(source: MermaidSource): number {
  const first = source.lines.findIndex((line) => line.trim() !== '')
  return first >= 0 && FLOWCHART_HEADER.test(source.lines[first]!.trim()) ? first : -1
}

/** True when `text` starts (after front matter, directives and comments) with a flowchart header. */
export function looksLikeMermaidFlowchart(text: string): boolean {
  return flowchartStart(readPreamble(text)) >= 0
}
