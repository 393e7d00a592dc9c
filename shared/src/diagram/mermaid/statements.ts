/**
 * Splits a diagram's body into statements: at line ends and at `;`, but not inside quoted text
 * (markdown strings span lines), shape data `@{ … }` (YAML that may span lines) or brackets.
 * Each statement keeps the 1-based line it starts on, for error messages. For flowcharts, a link at
 * the start or end of a line joins it to its neighbour, as Mermaid's lexer does.
 * Owns: statement boundaries. Must not touch: what a statement means.
 */

const ENTITY = /#[a-z0-9]{1,10};/iy

export interface Statement {
  text: string
  /** 1-based line of the statement's first character. */
  line: number
}

export class UnclosedError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message)
  }
}

/** The statements of `lines` (0-based index `from` on), split as Mermaid's lexer does. */
export function splitStatements(lines: readonly string[], from = 0, splitAtSemicolon = true): Statement[] {
  const text = lines.slice(from).join('\n')
  const out: Statement[] = []
  let line = from + 1
  let start = 0
  let startLine = line
  let quoteLine = 0
  let quoted = false
  let shapeData = 0
  let depth = 0
  const push = (end: number) => {
    const body = text.slice(start, end).trim()
    if (body !== '') out.push({ text: body, line: startLine + leadingLines(text.slice(start, end)) })
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\n') line++
    if (c === '"') {
      quoted = !quoted
      quoteLine = line
      continue
    }
    if (quoted) continue
    if (c === '#') {
      // An entity code (`#quot;`, `#9829;`) is text, its `;` no statement end.
      ENTITY.lastIndex = i
      if (ENTITY.test(text)) i = ENTITY.lastIndex - 1
      continue
    }
    if (c === '\n' && shapeData === 0) {
      push(i)
      start = i + 1
      startLine = line
      depth = 0
    } else if (c === '@' && text[i + 1] === '{') {
      shapeData++
      i++
    } else if (c === '}' && shapeData > 0) shapeData--
    else if (shapeData > 0) continue
    else if (c === '[' || c === '(' || c === '{') depth++
    else if ((c === ']' || c === ')' || c === '}') && depth > 0) depth--
    else if (c === ';' && depth === 0 && splitAtSemicolon) {
      push(i)
      start = i + 1
      startLine = line
    }
  }
  if (quoted) throw new UnclosedError(quoteLine, 'a quoted text is not closed with "')
  if (shapeData > 0) throw new UnclosedError(startLine, 'shape data "@{" is not closed with "}"')
  push(text.length)
  return out
}

function leadingLines(text: string): number {
  const lead = text.match(/^\s*/)![0]
  return lead.split('\n').length - 1
}

const LINK_START = /^(?:<?(?:--|==|-?\.+-)|~~~)/
const LINK_END = /(?:--|==|-\.|\.-|~~~)[-=.>xo]*(?:\|[^|]*\|)?$/

/**
 * Mermaid's lexer lets a link swallow the line breaks around it: a line that starts with a link
 * continues the statement before it, and one that ends with a link goes on on the next line.
 */
export function joinContinuations(statements: Statement[]): Statement[] {
  const out: Statement[] = []
  for (const statement of statements) {
    const last = out.at(-1)
    if (
      last &&
      (LINK_START.test(statement.text) || LINK_END.test(last.text)) &&
      !/^(subgraph|end)\b/.test(statement.text)
    ) {
      out[out.length - 1] = { text: `${last.text} ${statement.text}`, line: last.line }
    } else out.push(statement)
  }
  return out
}
