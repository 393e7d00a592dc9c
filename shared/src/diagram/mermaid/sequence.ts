/**
 * Mermaid sequence diagrams (`sequenceDiagram`) → the events in order: participants and actors
 * (with `as` labels, `@{ "type": … }`, `box` groups), messages with their arrow kinds, notes, and
 * blocks (`loop`, `alt`/`else`, `opt`, `par`/`and`, `critical`/`option`, `break`, `rect`).
 * Placing them is sequenceLayout.ts. Owns: the sequence grammar. Must not touch: records.
 */
import { DIAGRAM_LIMITS } from '../spec'
import { failure, type TextParse } from '../textParse'
import { diagramBody, isBody, STYLING } from './diagramBody'
import { cleanMermaidLabel } from './labels'
import { type SequenceEvent, type SequenceParticipant, sequenceSpec } from './sequenceLayout'
import { readShapeData } from './shapeData'

const HEADER = /^sequenceDiagram\b\s*(.*)$/
const ARROW = String.raw`(<<-->>|<<->>|-->>|->>|-->|->|--x|-x|--\)|-\))`
const MESSAGE = new RegExp(String.raw`^(.+?)\s*${ARROW}\s*([+-])?\s*(.+?)\s*:(.*)$`, 'su')
const PARTICIPANT = /^(?:create\s+)?(participant|actor)\s+([^\s@]+?)(?:@\{(.*)\})?(?:\s+as\s+(.+))?$/s
const NOTE = /^note\s+(left of|right of|over)\s+([^:]+?)\s*:(.*)$/is
const BLOCK = /^(loop|alt|opt|par|par_over|critical|break|rect)\b\s*(.*)$/
const DIVIDER = /^(else|and|option)\b\s*(.*)$/

const HEADS: Readonly<Record<string, { dashed: boolean; start: boolean; end: 'arrow' | 'bar' | 'none' }>> = {
  '->': { dashed: false, start: false, end: 'none' },
  '-->': { dashed: true, start: false, end: 'none' },
  '->>': { dashed: false, start: false, end: 'arrow' },
  '-->>': { dashed: true, start: false, end: 'arrow' },
  '<<->>': { dashed: false, start: true, end: 'arrow' },
  '<<-->>': { dashed: true, start: true, end: 'arrow' },
  '-x': { dashed: false, start: false, end: 'bar' },
  '--x': { dashed: true, start: false, end: 'bar' },
  '-)': { dashed: false, start: false, end: 'arrow' },
  '--)': { dashed: true, start: false, end: 'arrow' },
}

class SequenceReader {
  readonly participants = new Map<string, SequenceParticipant>()
  readonly events: SequenceEvent[] = []
  readonly warnings = new Set<string>()
  box: { id: string; label: string } | undefined
  boxes = 0
  autonumber = 0
  depth = 0

  participant(rawId: string, kind?: string, label?: string): string {
    const id = rawId.trim().slice(0, DIAGRAM_LIMITS.idChars)
    let found = this.participants.get(id)
    if (!found) {
      found = { id, label: id, kind: 'participant', ...(this.box ? { box: this.box.id } : {}) }
      this.participants.set(id, found)
    }
    if (kind) found.kind = kind
    if (label !== undefined) found.label = cleanMermaidLabel(label)
    return id
  }

  statement(line: string): boolean {
    const participant = line.match(PARTICIPANT)
    if (participant) {
      const data = participant[3]
        ? readShapeData(participant[3].replace(/"([\w-]+)"\s*:/g, '$1:'))
        : undefined
      const type = data?.get('type')
      const label = participant[4] ?? data?.get('alias')
      this.participant(participant[2]!, participant[1] === 'actor' ? 'actor' : (type ?? 'participant'), label)
      return true
    }
    const message = line.match(MESSAGE)
    if (message) {
      // `()` marks a message that joins a lifeline's centre: the participant is the name.
      const from = this.participant(message[1]!.replace(/\(\)$/, ''))
      const to = this.participant(message[4]!.replace(/^\(\)/, ''))
      const kind = HEADS[message[2]!]!
      if (message[3]) this.warnings.add('activation bars ("+", "-", activate) are not drawn')
      let text = cleanMermaidLabel(message[5]!)
      if (this.autonumber > 0) text = `${this.autonumber++}. ${text}`
      this.events.push({ type: 'message', from, to, text, ...kind })
      return true
    }
    const note = line.match(NOTE)
    if (note) {
      const over = note[2]!.split(',').map((id) => this.participant(id))
      this.events.push({
        type: 'note',
        side: note[1]!.toLowerCase() as 'left of',
        over,
        text: cleanMermaidLabel(note[3]!),
      })
      return true
    }
    const block = line.match(BLOCK)
    if (block) {
      this.depth++
      this.events.push({ type: 'block', kind: block[1]!, text: cleanMermaidLabel(block[2]!) })
      return true
    }
    const divider = line.match(DIVIDER)
    if (divider && this.depth > 0) {
      this.events.push({ type: 'divider', kind: divider[1]!, text: cleanMermaidLabel(divider[2]!) })
      return true
    }
    if (line === 'end') {
      if (this.depth > 0) {
        this.depth--
        this.events.push({ type: 'end' })
      } else this.box = undefined
      return this.depth >= 0
    }
    const box = line.match(/^box\b\s*(.*)$/)
    if (box) {
      const words = box[1]!.trim()
      const colour = words.match(/^(rgba?\([^)]*\)|#[0-9a-f]{3,8}|transparent|[a-z]+)(?:\s+(.*))?$/i)
      const label =
        colour && words.includes(' ') ? (colour[2] ?? '') : colour && !/\s/.test(words) ? '' : words
      this.box = { id: `box-${++this.boxes}`, label: cleanMermaidLabel(label || words) }
      this.events.push({ type: 'box', id: this.box.id, label: this.box.label })
      return true
    }
    const auto = line.match(/^autonumber\b\s*(\d+)?/)
    if (auto) {
      this.autonumber = Number(auto[1] ?? 1)
      return true
    }
    if (/^(activate|deactivate)\b/.test(line)) {
      this.warnings.add('activation bars ("+", "-", activate) are not drawn')
      return true
    }
    if (/^destroy\b/.test(line)) {
      this.warnings.add('destroyed participants keep their lifeline')
      return true
    }
    if (STYLING.test(line)) {
      this.warnings.add("participants' links and menus (link, links, properties) are not carried over")
      return true
    }
    return /^(title\b|hide\s+footbox)/.test(line)
  }
}

export function parseMermaidSequence(text: string): TextParse {
  const body = diagramBody(text, HEADER, 'sequenceDiagram', true)
  if (!isBody(body)) return body
  const reader = new SequenceReader()
  let title = body.source.title
  for (const { text: line, line: lineNo } of body.statements) {
    const titled = line.match(/^title\s*:?\s*(.+)$/)
    if (titled) title = cleanMermaidLabel(titled[1]!)
    if (!reader.statement(line))
      return failure(lineNo, 'expected a participant, a message such as "Alice->>Bob: Hi", a note or a block')
  }
  if (reader.depth > 0) reader.warnings.add('a block (loop, alt, …) is not closed with "end"')
  return sequenceSpec([...reader.participants.values()], reader.events, title, [...reader.warnings])
}
