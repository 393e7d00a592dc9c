/**
 * Reads one flowchart statement: node references (`A`, `A[text]`, `A@{ shape: … }`, `A:::class`)
 * in `&` groups, joined by links (`-->`, `---`, `-.->`, `==>`, `~~~`, `--o`, `--x`, `<-->`,
 * `o--o`, longer forms, `-- text -->`, `-->|text|`), each link optionally named (`A e1@--> B`).
 * Owns: the flowchart statement grammar. Must not touch: the diagram being built.
 */
import { DIAGRAM_LIMITS } from '../spec'
import { cleanMermaidLabel } from './labels'
import { readShapeData } from './shapeData'
import { BRACKET_SHAPES, slantedShape } from './shapes'

export class StatementError extends Error {}

export interface NodeRef {
  id: string
  /** Set when the reference gives a text (brackets or `label:`). */
  label?: string
  /** Mermaid's shape name when the reference gives a shape. */
  shapeName?: string
  /** `@{ … }` pairs. */
  data?: Map<string, string>
  classes: string[]
}

export type LinkHead = 'arrow' | 'circle' | 'cross'

export interface LinkRef {
  id?: string
  stroke: 'normal' | 'thick' | 'dotted' | 'invisible'
  start?: LinkHead
  end?: LinkHead
  label?: string
}

const ID = /[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[-.'](?=[\p{L}\p{N}_]))*/uy
const CLASS_SUFFIX = /:::([\w-]+)/y
const LINK_ID = /([^\s"@&|]+)@(?=[-=.~<ox])/y
/** Link bodies; a dotted one may leave out its first dash (`.->`, `<.->`), as Mermaid's lexer allows. */
const LINK = /([<ox])?(-{2,}|={2,}|-?\.+-|~{3,})/y
const HEAD_END = /([>]|[ox](?![\p{L}\p{N}_]))?/uy
const DOTTED_TEXT_OPEN = /([<ox])?-\.(?![.-])/y
const PIPE_LABEL = /\s*\|\s*(?:"([^"]*)"|([^|]*))\s*\|/y
const HEADS: Readonly<Record<string, LinkHead>> = { '<': 'arrow', '>': 'arrow', o: 'circle', x: 'cross' }

export class StatementReader {
  pos = 0
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++
  }

  private sticky(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos
    const match = pattern.exec(this.text)
    if (match) this.pos = pattern.lastIndex
    return match
  }

  get done(): boolean {
    this.skipSpace()
    return this.pos >= this.text.length
  }

  fail(message: string): never {
    throw new StatementError(`${message} at column ${this.pos + 1}`)
  }

  /** The text up to `close` (quote-aware), moving past the closer. */
  private until(close: string): string {
    const rest = this.text.slice(this.pos)
    const lead = rest.match(/^\s*"/)
    if (lead) {
      const endQuote = rest.indexOf('"', lead[0].length)
      if (endQuote >= 0) {
        const after = rest.slice(endQuote + 1).match(/^\s*/)![0].length + endQuote + 1
        if (rest.startsWith(close, after)) {
          this.pos += after + close.length
          return rest.slice(0, endQuote + 1)
        }
      }
    }
    const at = rest.indexOf(close)
    if (at < 0) this.fail(`missing "${close}"`)
    this.pos += at + close.length
    return rest.slice(0, at)
  }

  /** `[/…/]`, `[\…\]`, `[/…\]`, `[\…/]`. */
  private slanted(open: string): { label: string; shapeName: string } {
    const rest = this.text.slice(this.pos)
    const match = rest.match(/[/\\]\]/)
    if (!match || match.index === undefined) this.fail('missing "/]" or "\\]"')
    this.pos += match.index + 2
    return { label: rest.slice(0, match.index), shapeName: slantedShape(open, match[0][0]!).name }
  }

  /** `@{ … }` after a node id: the body up to the closing brace (quote-aware). */
  private shapeData(): Map<string, string> {
    let quoted = false
    for (let i = this.pos; i < this.text.length; i++) {
      const c = this.text[i]
      if (c === '"') quoted = !quoted
      else if (c === '}' && !quoted) {
        const body = this.text.slice(this.pos, i)
        this.pos = i + 1
        return readShapeData(body)
      }
    }
    return this.fail('shape data "@{" is not closed with "}"')
  }

  /** One node reference, or null when no id starts here. */
  node(): NodeRef | null {
    this.skipSpace()
    const id = this.sticky(ID)
    if (!id) return null
    if (id[0].length > DIAGRAM_LIMITS.idChars)
      this.fail(`node id longer than ${DIAGRAM_LIMITS.idChars} characters`)
    const ref: NodeRef = { id: id[0], classes: [] }
    if (this.text.startsWith('@{', this.pos)) {
      this.pos += 2
      ref.data = this.shapeData()
    } else {
      for (const { open, close, name } of BRACKET_SHAPES) {
        if (!this.text.startsWith(open, this.pos)) continue
        this.pos += open.length
        if (close === '') {
          const slanted = this.slanted(open)
          ref.label = cleanMermaidLabel(slanted.label)
          ref.shapeName = slanted.shapeName
        } else {
          ref.label = cleanMermaidLabel(this.until(close))
          ref.shapeName = name
        }
        break
      }
    }
    for (let suffix = this.sticky(CLASS_SUFFIX); suffix; suffix = this.sticky(CLASS_SUFFIX))
      ref.classes.push(suffix[1]!)
    return ref
  }

  /** `A & B & C`. */
  nodeGroup(): NodeRef[] {
    const first = this.node()
    if (!first) this.fail('expected a node id')
    const group = [first]
    for (;;) {
      this.skipSpace()
      if (this.text[this.pos] !== '&') return group
      this.pos++
      const next = this.node()
      if (!next) this.fail('expected a node id after "&"')
      group.push(next)
    }
  }

  /** A link, or null when none starts here. */
  link(): LinkRef | null {
    this.skipSpace()
    const named = this.sticky(LINK_ID)
    const start = this.pos
    let startHead: string | undefined
    let body: string
    let label: string | undefined
    let endHead: string | undefined
    const dotted = this.sticky(DOTTED_TEXT_OPEN)
    if (dotted) {
      startHead = dotted[1]
      const close = this.text.slice(this.pos).match(/\.+-([>ox])?/)
      if (!close || close.index === undefined) this.fail('missing the end of a "-. text .->" link')
      label = this.text.slice(this.pos, this.pos + close.index)
      this.pos += close.index + close[0].length
      body = '-.-'
      endHead = close[1]
    } else {
      const link = this.sticky(LINK)
      if (!link) {
        if (named) this.fail(`expected a link after "${named[0]}"`)
        return null
      }
      startHead = link[1]
      body = link[2]!
      endHead = this.sticky(HEAD_END)?.[1]
      if ((body === '--' || body === '==') && !endHead) {
        // `-- text -->`: the text runs to a closing link of the same kind.
        const closer = body === '--' ? /(-{2,})([>ox])?/g : /(={2,})([>ox])?/g
        closer.lastIndex = this.pos
        let close: RegExpExecArray | null
        for (;;) {
          close = closer.exec(this.text)
          if (!close || close[2] || close[1]!.length >= 3) break
        }
        if (!close) {
          this.pos = start
          this.fail(`"${body}" needs a closing "${body}>"`)
        }
        label = this.text.slice(this.pos, close.index)
        this.pos = close.index + close[0].length
        endHead = close[2]
      }
    }
    const pipe = this.sticky(PIPE_LABEL)
    if (pipe) label = pipe[1] ?? pipe[2]
    const cleaned = label === undefined ? '' : cleanMermaidLabel(label)
    const stroke = body.startsWith('~')
      ? 'invisible'
      : body.includes('.')
        ? 'dotted'
        : body.startsWith('=')
          ? 'thick'
          : 'normal'
    return {
      stroke,
      ...(named ? { id: named[1] } : {}),
      ...(startHead ? { start: HEADS[startHead] } : {}),
      ...(endHead ? { end: HEADS[endHead] } : {}),
      ...(cleaned ? { label: cleaned } : {}),
    }
  }
}
