/**
 * Reading a model's tool-call arguments, which may be finished, still streaming, cut at the token
 * limit or broken: finished JSON as it is, unfinished JSON without the item still being written,
 * broken JSON as far as it reads (and said to be repaired). Owns: that reading. Must not touch:
 * the document, the model call.
 */
import { type DiagramSpec, parseDiagramSpecLeniently } from '@drawbridge/shared'
import { Allow, parse as parsePartialJson } from 'partial-json'

/** Partial strings are left out: a label cut mid-word is no label. */
const PARTIAL = Allow.ALL & ~Allow.STR

/**
 * In JSON cut short (streaming, or the token limit), the key path of the list whose last item was
 * still being written when the text stopped — `['nodes']`, `['spec', 'edges']`, `['operations']` —
 * or undefined when no item is unfinished (between items, or every list closed).
 */
function unfinishedListPath(text: string): string[] | undefined {
  const stack: Array<{ kind: '{' | '['; key: string | undefined }> = []
  let inString = false
  let escaped = false
  let current = ''
  let lastString: string | undefined
  let key: string | undefined
  for (const char of text) {
    if (inString) {
      if (escaped) escaped = false
      else if (char === '\\') escaped = true
      else if (char === '"') {
        inString = false
        lastString = current
      } else current += char
      continue
    }
    if (char === '"') {
      inString = true
      current = ''
    } else if (char === ':') key = lastString
    else if (char === '{' || char === '[') {
      stack.push({ kind: char, key: stack.at(-1)?.kind === '{' ? key : undefined })
      key = undefined
    } else if (char === '}' || char === ']') stack.pop()
    else if (char === ',') key = undefined
  }
  const list = stack.findIndex((entry) => entry.kind === '[')
  // Something still open inside the outermost open list: its last item is unfinished.
  if (list < 0 || stack.length === list + 1) return undefined
  const path = stack.slice(1, list + 1).map((entry) => entry.key)
  return path.every((part): part is string => part !== undefined) ? path : undefined
}

/** `value` without the last item of the list at `path` (a copy; `value` is left as it is). */
function withoutLastItem(value: unknown, path: string[]): unknown {
  if (path.length === 0) return Array.isArray(value) ? value.slice(0, -1) : value
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  const [head, ...rest] = path as [string, ...string[]]
  const object = value as Record<string, unknown>
  return head in object ? { ...object, [head]: withoutLastItem(object[head], rest) } : value
}

/** JSON cut short, read as far as it goes, without the item that was still being written. */
function parseUnfinished(text: string): unknown {
  const value = parsePartialJson(text, PARTIAL)
  const path = unfinishedListPath(text)
  return path ? withoutLastItem(value, path) : value
}

/** The diagram so far from streamed tool arguments; undefined while nothing usable has arrived. */
export function draftDiagram(argumentsText: string): DiagramSpec | undefined {
  let value: unknown
  try {
    value = parseUnfinished(argumentsText)
  } catch {
    return undefined
  }
  const { spec } = parseDiagramSpecLeniently(value)
  return spec.nodes.length > 0 ? spec : undefined
}

/**
 * The tool call's arguments as a value; `repaired` when the text was not valid JSON and only
 * what a lenient reading could make of it is returned (cut at the token limit, or broken).
 */
export function readArguments(text: string, truncated: boolean): { value: unknown; repaired: boolean } {
  const trimmed = text.trim()
  if (!trimmed) return { value: undefined, repaired: false }
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed)?.[1] ?? trimmed
  try {
    return { value: JSON.parse(fenced), repaired: false }
  } catch {
    if (!truncated && !fenced.startsWith('{')) return { value: undefined, repaired: false }
    try {
      // Cut off at the token limit: the complete items only. Broken: whatever reads as JSON.
      const value = truncated ? parseUnfinished(fenced) : parsePartialJson(fenced, PARTIAL)
      return { value, repaired: true }
    } catch {
      return { value: undefined, repaired: true }
    }
  }
}
