/**
 * The offline planner: turns a prompt (or an uploaded text, Markdown, `.mmd` or CSV file) into a
 * diagram spec without a model when it is a Mermaid flowchart, an arrow list, a numbered step list
 * or a CSV edge list; anything else needs a model. Owns: deciding which text form a prompt is.
 * Must not touch: models, records, layout, I/O.
 */
import { mermaidKind, parseMermaid } from './mermaid'
import type { DiagramSpec } from './spec'
import {
  hasArrow,
  hasCsvHeader,
  parseArrowList,
  parseCsvEdges,
  parseNumberedSteps,
  splitCsvRow,
} from './textLists'
import type { TextParse } from './textParse'

export {
  cleanMermaidLabel,
  looksLikeMermaidFlowchart,
  MERMAID_SHAPE_NAMES,
  type MermaidKind,
  mermaidKind,
  parseMermaid,
  parseMermaidClass,
  parseMermaidEr,
  parseMermaidFlowchart,
  parseMermaidSequence,
  parseMermaidState,
} from './mermaid'
export { parseArrowList, parseCsvEdges, parseNumberedSteps } from './textLists'
export type { TextParse } from './textParse'

export type TextPlanSource = 'mermaid' | 'arrows' | 'steps' | 'csv'

export type OfflinePlan =
  | { kind: 'diagram'; spec: DiagramSpec; source: TextPlanSource; warnings: string[] }
  | {
      kind: 'needs-model'
      message: string
      /** Set when the text looked like one of the forms but did not parse. */
      parseError?: { source: TextPlanSource; line: number; message: string }
    }

/** What the planner understands, for messages. */
export const OFFLINE_FORMS =
  'Mermaid flowcharts ("graph TD" / "flowchart LR" …), sequence, class, state and ER diagrams (also ' +
  'inside a ```mermaid block), arrow lists ' +
  'such as "Browser -> API -> Database" (one chain per line), numbered step lists ("1. …", "2. …") ' +
  'and CSV edge lists ("from,to,label")'

export const NEEDS_MODEL_MESSAGE =
  'Free-form prompts need a model: set OPENAI_API_KEY (and optionally OPENAI_BASE_URL and AI_MODEL) ' +
  `on the server. Without a model the co-pilot draws ${OFFLINE_FORMS}.`

const FENCED_MERMAID = /```[ \t]*(mermaid|mmd)?[ \t]*\r?\n([\s\S]*?)```/gi
const OTHER_MERMAID =
  /^\s*(gantt|pie|journey|gitGraph|mindmap|timeline|quadrantChart|sankey|block|architecture|xychart|requirementDiagram|C4Context|packet|kanban|radar|treemap)/m
const STEP_LINE = /^\s*(?:step\s+)?\d{1,4}\s*[.):-]\s+\S/i
const MAX_CSV_FIELD = 80
const MAX_CSV_WORDS = 8

/** The Mermaid text of a prompt: a fenced ```mermaid block, or the prompt itself when it starts as one. */
function mermaidText(prompt: string): { text: string; offset: number } | null {
  for (const match of prompt.matchAll(FENCED_MERMAID)) {
    const body = match[2] ?? ''
    if (match[1] || mermaidKind(body)) {
      const offset = prompt.slice(0, match.index).split('\n').length
      return { text: body, offset }
    }
  }
  return mermaidKind(prompt) ? { text: prompt, offset: 0 } : null
}

function looksLikeCsv(text: string): boolean {
  if (hasCsvHeader(text)) return true
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  if (rows.length < 2) return false
  return rows.every((row) => {
    const fields = splitCsvRow(row, row.includes('\t') && !row.includes(',') ? '\t' : ',')
    return (
      fields.length >= 2 &&
      fields.length <= 3 &&
      fields[0] !== '' &&
      fields[1] !== '' &&
      fields.every((f) => f.length <= MAX_CSV_FIELD && f.split(/\s+/).length <= MAX_CSV_WORDS)
    )
  })
}

function looksLikeArrows(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !/^\s*(#|\/\/)/.test(line))
  if (lines.length === 0) return false
  const [first, ...rest] = lines
  const body = !hasArrow(first!) && first!.trim().endsWith(':') ? rest : lines
  return body.length > 0 && body.every(hasArrow)
}

function looksLikeSteps(text: string): boolean {
  return text.split(/\r?\n/).filter((line) => STEP_LINE.test(line)).length >= 2
}

function planFrom(source: TextPlanSource, parsed: TextParse, lineOffset = 0): OfflinePlan {
  if (parsed.ok) return { kind: 'diagram', spec: parsed.spec, source, warnings: parsed.warnings }
  const line = parsed.line + lineOffset
  const names: Record<TextPlanSource, string> = {
    mermaid: 'Mermaid diagram',
    arrows: 'arrow list',
    steps: 'step list',
    csv: 'CSV edge list',
  }
  return {
    kind: 'needs-model',
    message: `The ${names[source]} could not be read: line ${line}: ${parsed.error}. Fix it, or configure a model (OPENAI_API_KEY) for free-form prompts.`,
    parseError: { source, line, message: parsed.error },
  }
}

/**
 * Plans a diagram from text alone. Mermaid wins (fenced or whole prompt), then CSV, arrow lists and
 * numbered steps; anything else — and other Mermaid diagram types — needs a model.
 */
export function planWithoutModel(prompt: string): OfflinePlan {
  const text = typeof prompt === 'string' ? prompt.replace(/^\uFEFF/, '').trim() : ''
  if (text === '') return { kind: 'needs-model', message: `Nothing to draw. ${NEEDS_MODEL_MESSAGE}` }
  const mermaid = mermaidText(text)
  if (mermaid) return planFrom('mermaid', parseMermaid(mermaid.text), mermaid.offset)
  if (OTHER_MERMAID.test(text)) {
    return {
      kind: 'needs-model',
      message: `Only Mermaid flowcharts, sequence, class, state and ER diagrams are drawn without a model. ${NEEDS_MODEL_MESSAGE}`,
    }
  }
  if (looksLikeCsv(text)) return planFrom('csv', parseCsvEdges(text))
  if (looksLikeArrows(text)) return planFrom('arrows', parseArrowList(text))
  if (looksLikeSteps(text)) return planFrom('steps', parseNumberedSteps(text))
  return { kind: 'needs-model', message: NEEDS_MODEL_MESSAGE }
}
