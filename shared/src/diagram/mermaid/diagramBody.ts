/**
 * The start every non-flowchart Mermaid reader shares: the preamble taken out, the header line
 * checked, the rest split into statements (line by line; `;` too where the grammar allows).
 * Owns: header lookup and statement splitting for those readers. Must not touch: their grammars.
 */
import { failure, type TextParse } from '../textParse'
import { type MermaidSource, readPreamble } from './preamble'
import { type Statement, splitStatements, UnclosedError } from './statements'

export interface DiagramBody {
  source: MermaidSource
  /** The header line's own text after the keyword. */
  headerRest: string
  statements: Statement[]
}

/** The body after `header`, or the failure to return when the text does not start with it. */
export function diagramBody(
  text: string,
  header: RegExp,
  name: string,
  semicolons = false,
): DiagramBody | TextParse {
  const source = readPreamble(text)
  const first = source.lines.findIndex((line) => line.trim() !== '')
  if (first < 0) return failure(1, `the text is empty: a ${name} starts with "${name}"`)
  const match = source.lines[first]!.trim().match(header)
  if (!match) return failure(first + 1, `expected "${name}" to start the diagram`)
  // These grammars (unlike flowcharts) also end a line at a `%%` comment.
  const lines = source.lines.map((line) => line.replace(/\s*%%(?!\{)[^"]*$/, ''))
  try {
    return {
      source,
      headerRest: match[1] ?? '',
      statements: splitStatements(lines, first + 1, semicolons),
    }
  } catch (error) {
    if (error instanceof UnclosedError) return failure(error.line, error.message)
    throw error
  }
}

export function isBody(value: DiagramBody | TextParse): value is DiagramBody {
  return 'statements' in value
}

/** `"quoted"` → quoted; anything else trimmed. */
export function unquote(text: string): string {
  const trimmed = text.trim()
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1)
    : trimmed
}

/** Styling and interaction statements every diagram type shares, which only flowcharts apply. */
export const STYLING =
  /^(classDef|class|style|linkStyle|click|cssClass|callback|link|links|properties|details)\b/
