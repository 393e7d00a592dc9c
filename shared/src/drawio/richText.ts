/**
 * tldraw rich text (a TipTap doc) ↔ draw.io HTML labels. Export writes a small, escaped HTML
 * subset; import reads HTML into a *new* TipTap doc of text runs and a few marks, so no markup,
 * attribute, script or URL scheme from the file survives except http(s)/mailto links.
 * Must not touch: XML files, records.
 */

import type { TLRichText } from '@tldraw/tlschema'
import { DOMParser } from '@xmldom/xmldom'
import { escapeHtml } from './style'

interface RichNode {
  type?: unknown
  text?: unknown
  content?: unknown
  marks?: unknown
  attrs?: unknown
}

const MARK_TAGS: Readonly<Record<string, string>> = {
  bold: 'b',
  italic: 'i',
  underline: 'u',
  strike: 's',
  code: 'code',
}
const SAFE_LINK = /^(https?:|mailto:)/i

function children(node: RichNode): RichNode[] {
  return Array.isArray(node.content) ? (node.content as RichNode[]) : []
}

function markedText(node: RichNode): string {
  let html = escapeHtml(typeof node.text === 'string' ? node.text : '')
  const marks = Array.isArray(node.marks) ? (node.marks as RichNode[]) : []
  for (const mark of marks) {
    const tag = typeof mark.type === 'string' ? MARK_TAGS[mark.type] : undefined
    if (tag) html = `<${tag}>${html}</${tag}>`
    const href = (mark.attrs as { href?: unknown } | undefined)?.href
    if (mark.type === 'link' && typeof href === 'string' && SAFE_LINK.test(href)) {
      html = `<a href="${escapeHtml(href)}">${html}</a>`
    }
  }
  return html
}

function inlineHtml(node: RichNode): string {
  if (node.type === 'text') return markedText(node)
  if (node.type === 'hardBreak') return '<br>'
  return children(node).map(inlineHtml).join('')
}

function blockLines(node: RichNode, prefix: string): string[] {
  switch (node.type) {
    case 'bulletList':
      return children(node).flatMap((item) => blockLines(item, '• '))
    case 'orderedList':
      return children(node).flatMap((item, i) => blockLines(item, `${i + 1}. `))
    case 'listItem':
      return children(node).flatMap((child, i) => blockLines(child, i === 0 ? prefix : ''))
    default:
      return [escapeHtml(prefix) + inlineHtml(node)]
  }
}

/** A TipTap doc as draw.io HTML label markup (lines joined with `<br>`, text HTML-escaped). */
export function richTextToHtml(richText: TLRichText): string {
  return children(richText as RichNode)
    .flatMap((block) => blockLines(block, ''))
    .join('<br>')
}

/** The plain text of a TipTap doc, one line per paragraph. */
export function richTextToPlain(richText: TLRichText): string {
  const text = (node: RichNode): string =>
    node.type === 'text' && typeof node.text === 'string' ? node.text : children(node).map(text).join('')
  return children(richText as RichNode)
    .map(text)
    .join('\n')
}

interface Run {
  text: string
  marks: Array<{ type: string; attrs?: { href: string } }>
}

/** Elements whose content is never text: dropped with everything inside. */
const DROPPED_ELEMENTS = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'template',
  'noscript',
  'textarea',
  'select',
  'head',
  'title',
])
const BLOCK_ELEMENTS = new Set([
  'div',
  'p',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'tr',
])
const ELEMENT_MARKS: Readonly<Record<string, string>> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
  code: 'code',
}
const ELEMENT_NODE = 1
const TEXT_NODE = 3
const NBSP = /\u00a0/g
/** Labels nest far less than this; deeper markup is flattened to its text. */
const MAX_HTML_DEPTH = 64

interface DomNode {
  nodeType: number
  nodeName: string
  data?: string
  firstChild: DomNode | null
  nextSibling: DomNode | null
  textContent?: string | null
  getAttribute?: (name: string) => string | null
}

class RunCollector {
  readonly paragraphs: Run[][] = [[]]
  private current(): Run[] {
    return this.paragraphs[this.paragraphs.length - 1]!
  }
  text(text: string, marks: Run['marks']): void {
    if (text) this.current().push({ text: text.replace(NBSP, ' '), marks })
  }
  breakLine(): void {
    this.paragraphs.push([])
  }
  breakBlock(): void {
    if (this.current().length > 0) this.paragraphs.push([])
  }
}

function markFor(element: DomNode): Run['marks'][number] | null {
  const name = element.nodeName.toLowerCase()
  if (name === 'a') {
    const href = element.getAttribute?.('href')?.trim() ?? ''
    return SAFE_LINK.test(href) ? { type: 'link', attrs: { href } } : null
  }
  const mark = ELEMENT_MARKS[name]
  return mark ? { type: mark } : null
}

function walk(node: DomNode, marks: Run['marks'], out: RunCollector, depth: number): void {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE) out.text(child.data ?? '', marks)
    if (child.nodeType !== ELEMENT_NODE) continue
    const name = child.nodeName.toLowerCase()
    if (DROPPED_ELEMENTS.has(name)) continue
    if (depth >= MAX_HTML_DEPTH) {
      out.text(child.textContent ?? '', marks)
      continue
    }
    if (name === 'br') {
      out.breakLine()
      continue
    }
    const block = BLOCK_ELEMENTS.has(name)
    if (block) out.breakBlock()
    const mark = markFor(child)
    const nextMarks = mark ? [...marks, mark] : marks
    walk(child, nextMarks, out, depth + 1)
    if (block) out.breakBlock()
  }
}

function toDoc(paragraphs: Run[][]): TLRichText {
  const trimmed = [...paragraphs]
  while (trimmed.length > 1 && trimmed[trimmed.length - 1]!.length === 0) trimmed.pop()
  return {
    type: 'doc',
    content: trimmed.map((runs) =>
      runs.length === 0
        ? { type: 'paragraph' }
        : {
            type: 'paragraph',
            content: runs.map((run) =>
              run.marks.length
                ? { type: 'text', text: run.text, marks: run.marks }
                : { type: 'text', text: run.text },
            ),
          },
    ),
  }
}

/** Tag-stripping fallback for markup the HTML parser refuses: text only, dropped elements skipped. */
function stripTags(html: string): string {
  const withoutDropped = html.replace(
    /<(script|style|iframe|object|embed|svg|template|noscript)\b[\s\S]*?(<\/\1\s*>|$)/gi,
    '',
  )
  const lines = withoutDropped.replace(/<br\s*\/?>|<\/(div|p|li|h\d)>/gi, '\n').replace(/<[^>]*>?/g, '')
  return lines
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** Plain text (lines → paragraphs) as a TipTap doc. */
export function plainToRichText(text: string): TLRichText {
  return toDoc(text.split('\n').map((line) => (line ? [{ text: line, marks: [] }] : [])))
}

/** An untrusted HTML label as rich text: text, line breaks, bold/italic/underline/strike/code, safe links. */
export function htmlToRichText(html: string): TLRichText {
  // Most labels are plain words: no markup, no entities, nothing to parse.
  if (!/[<&]/.test(html)) return plainToRichText(html.replace(NBSP, ' '))
  const out = new RunCollector()
  try {
    const parsed = new DOMParser({ onError: () => {} }).parseFromString(`<body>${html}</body>`, 'text/html')
    const root = parsed.documentElement as unknown as DomNode | null
    if (!root) return plainToRichText(stripTags(html))
    walk(root, [], out, 0)
  } catch {
    return plainToRichText(stripTags(html))
  }
  return toDoc(out.paragraphs)
}

/** The doc with `marks` added to every text run (a draw.io `fontStyle` applies to the whole label). */
export function markAll(doc: TLRichText, marks: readonly string[]): TLRichText {
  if (marks.length === 0) return doc
  const visit = (node: RichNode): RichNode => {
    if (node.type === 'text') {
      const own = Array.isArray(node.marks) ? (node.marks as RichNode[]) : []
      const missing = marks.filter((type) => !own.some((mark) => mark.type === type))
      return { ...node, marks: [...own, ...missing.map((type) => ({ type }))] }
    }
    return Array.isArray(node.content) ? { ...node, content: (node.content as RichNode[]).map(visit) } : node
  }
  return visit(doc as RichNode) as TLRichText
}
