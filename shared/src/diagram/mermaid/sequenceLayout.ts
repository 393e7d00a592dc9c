/**
 * A sequence diagram's events → a `preset` diagram spec, placed as Mermaid draws it: participant
 * boxes in a row, a dashed lifeline under each, messages as straight arrows between lifelines one
 * row below the other (a message to oneself loops out to the right), notes beside or over their
 * lifelines, blocks (`loop`, `alt`, …) as frames around their rows with their `else` / `and`
 * lines as text, `box` groups as frames around their participants.
 * Owns: sequence geometry. Must not touch: parsing, records.
 */
import { edgeLabelSize, nodeSize } from '../labelSize'
import type { DiagramEdge, DiagramGroup, DiagramNode, DiagramSpec } from '../spec'
import { clampLabel, failure, overLimits, type TextParse } from '../textParse'

export interface SequenceParticipant {
  id: string
  label: string
  /** `participant`, `actor` or a v11 type (`database`, `queue`, …). */
  kind: string
  box?: string
}

export type SequenceEvent =
  | {
      type: 'message'
      from: string
      to: string
      text: string
      dashed: boolean
      start: boolean
      end: 'arrow' | 'bar' | 'none'
    }
  | { type: 'note'; side: 'left of' | 'right of' | 'over'; over: string[]; text: string }
  | { type: 'block'; kind: string; text: string }
  | { type: 'divider'; kind: string; text: string }
  | { type: 'end' }
  | { type: 'box'; id: string; label: string }

/** Layout constants, in page pixels. */
const HEAD = { minW: 140, h: 60 }
const GAP_PX = 60
const ROW_PX = 56
const LIFELINE_W_PX = 6
const FIRST_ROW_PX = HEAD.h + 50
const FRAME_PAD_PX = 24
const NOTE_W_PX = 160
const BOX_PAD_PX = 12
/** How far a message to oneself loops out to the right of its lifeline. */
const SELF_BEND_PX = -50
/** How far below its start a message to oneself comes back. */
const SELF_DROP_PX = 40

interface OpenBlock {
  group: DiagramGroup
  top: number
  columns: Set<number>
}

/** Participant column centres, far enough apart for the labels of the messages between them. */
function columns(participants: SequenceParticipant[], events: SequenceEvent[]): Map<string, number> {
  const index = new Map(participants.map((p, i) => [p.id, i]))
  const widths = participants.map((p) => Math.max(HEAD.minW, nodeSize(p.label).w))
  const centres: number[] = []
  let x = 0
  for (const w of widths) {
    centres.push(x + w / 2)
    x += w + GAP_PX
  }
  for (const event of events) {
    if (event.type !== 'message' || event.from === event.to) continue
    const [a, b] = [index.get(event.from)!, index.get(event.to)!].sort((m, n) => m - n) as [number, number]
    const need = edgeLabelSize(event.text || ' ').w + 2 * GAP_PX
    const deficit = need - (centres[b]! - centres[a]!)
    if (deficit > 0) for (let k = b; k < centres.length; k++) centres[k]! += deficit
  }
  return new Map(participants.map((p, i) => [p.id, centres[i]!]))
}

export function sequenceSpec(
  participants: SequenceParticipant[],
  events: SequenceEvent[],
  title: string | undefined,
  warnings: string[],
): TextParse {
  if (participants.length === 0) return failure(1, 'a sequence diagram needs at least one participant')
  const centre = columns(participants, events)
  const order = new Map(participants.map((p, i) => [p.id, i]))
  const nodes: DiagramNode[] = []
  const edges: DiagramEdge[] = []
  const groups: DiagramGroup[] = []
  const open: OpenBlock[] = []
  let y = FIRST_ROW_PX
  let count = 0
  const touch = (...ids: string[]) => {
    for (const block of open) for (const id of ids) block.columns.add(order.get(id)!)
  }
  for (const event of events) {
    if (event.type === 'message') {
      touch(event.from, event.to)
      const self = event.from === event.to
      const edge: DiagramEdge = {
        from: event.from,
        to: event.to,
        fromAnchor: { x: self ? 1 : 0.5, y },
        toAnchor: { x: self ? 1 : 0.5, y: self ? y + SELF_DROP_PX : y },
        heads: { start: event.start ? 'arrow' : 'none', end: event.end },
        straight: true,
        ...(self ? { bend: SELF_BEND_PX } : {}),
      }
      if (event.text) edge.label = event.text
      if (event.dashed) edge.dash = 'dashed'
      edges.push(edge)
      y += self ? ROW_PX + SELF_DROP_PX : ROW_PX
    } else if (event.type === 'note') {
      touch(...event.over)
      const xs = event.over.map((id) => centre.get(id)!)
      const size = nodeSize(event.text)
      const w =
        event.side === 'over'
          ? Math.max(NOTE_W_PX, size.w, Math.max(...xs) - Math.min(...xs) + 80)
          : Math.max(NOTE_W_PX, size.w)
      const x =
        event.side === 'over'
          ? (Math.min(...xs) + Math.max(...xs)) / 2 - w / 2
          : event.side === 'right of'
            ? xs[0]! + 20
            : xs[0]! - 20 - w
      nodes.push({
        id: `note-${++count}`,
        label: event.text,
        shape: 'rectangle',
        color: 'yellow',
        fill: 'solid',
        sourceShape: 'note',
        box: { x, y: y - 16, w, h: size.h },
        ...(open.at(-1) ? { group: open.at(-1)!.group.id } : {}),
      })
      y += size.h + 24
    } else if (event.type === 'block') {
      const group: DiagramGroup = {
        id: `block-${++count}`,
        label: clampLabel(`${event.kind}${event.text ? `: ${event.text}` : ''}`),
      }
      if (open.at(-1)) group.parent = open.at(-1)!.group.id
      groups.push(group)
      open.push({ group, top: y - 16, columns: new Set() })
      y += ROW_PX * 0.75
    } else if (event.type === 'divider') {
      const block = open.at(-1)
      if (!block) continue
      nodes.push({
        id: `divider-${++count}`,
        label: clampLabel(`${event.kind}${event.text ? `: ${event.text}` : ''}`),
        shape: 'text',
        group: block.group.id,
        box: { x: 0, y: y - 20, w: 0, h: 28 },
      })
      y += ROW_PX * 0.75
    } else if (event.type === 'end') {
      const block = open.pop()
      if (!block) continue
      finishBlock(block, y, centre, participants, nodes)
      for (const outer of open) for (const c of block.columns) outer.columns.add(c)
      y += ROW_PX * 0.5
    }
  }
  for (let block = open.pop(); block; block = open.pop()) finishBlock(block, y, centre, participants, nodes)
  const bottom = y + ROW_PX / 2
  for (const p of participants) {
    const x = centre.get(p.id)!
    const w = Math.max(HEAD.minW, nodeSize(p.label).w)
    nodes.push({
      id: `head:${p.id}`,
      label: p.label,
      shape: p.kind === 'actor' ? 'ellipse' : 'rectangle',
      sourceShape: p.kind,
      box: { x: x - w / 2, y: 0, w, h: HEAD.h },
      ...(p.box ? { group: p.box } : {}),
    })
    nodes.push({
      id: p.id,
      label: '',
      shape: 'rectangle',
      color: 'grey',
      dash: 'dashed',
      sourceShape: 'lifeline',
      box: { x: x - LIFELINE_W_PX / 2, y: HEAD.h, w: LIFELINE_W_PX, h: bottom - HEAD.h },
      ...(p.box ? { group: p.box } : {}),
    })
  }
  for (const edge of edges) {
    // Rows were page y; anchors are fractions down the lifeline.
    edge.fromAnchor = { x: edge.fromAnchor!.x, y: (edge.fromAnchor!.y - HEAD.h) / (bottom - HEAD.h) }
    edge.toAnchor = { x: edge.toAnchor!.x, y: (edge.toAnchor!.y - HEAD.h) / (bottom - HEAD.h) }
  }
  const boxLabels = new Map(events.flatMap((e) => (e.type === 'box' ? [[e.id, e.label] as const] : [])))
  const boxGroups = boxFrames(participants, centre, bottom, boxLabels)
  const spec: DiagramSpec = {
    ...(title ? { title } : {}),
    preset: true,
    nodes,
    edges,
    groups: [...boxGroups, ...groups],
  }
  if (spec.groups!.length === 0) delete spec.groups
  const limit = overLimits(spec)
  return limit ? failure(1, limit) : { ok: true, spec, warnings }
}

/** A block's frame: around the columns its rows touch (all, when none), from its first row to `y`. */
function finishBlock(
  block: OpenBlock,
  y: number,
  centre: Map<string, number>,
  participants: SequenceParticipant[],
  nodes: DiagramNode[],
): void {
  const xs = (block.columns.size > 0 ? [...block.columns].map((i) => participants[i]!) : participants).map(
    (p) => centre.get(p.id)!,
  )
  const left = Math.min(...xs) - HEAD.minW / 2 - FRAME_PAD_PX
  const right = Math.max(...xs) + HEAD.minW / 2 + FRAME_PAD_PX
  block.group.box = { x: left, y: block.top, w: right - left, h: y - block.top }
  for (const node of nodes) {
    if (node.group === block.group.id && node.shape === 'text' && node.box) {
      node.box = { ...node.box, x: left + 8, w: right - left - 16 }
    }
  }
}

/** `box` groups: frames around their participants, top to bottom. */
function boxFrames(
  participants: SequenceParticipant[],
  centre: Map<string, number>,
  bottom: number,
  labels: ReadonlyMap<string, string>,
): DiagramGroup[] {
  const byBox = new Map<string, number[]>()
  for (const p of participants) if (p.box) byBox.set(p.box, [...(byBox.get(p.box) ?? []), centre.get(p.id)!])
  return [...byBox].map(([id, xs]) => {
    const left = Math.min(...xs) - HEAD.minW / 2 - BOX_PAD_PX
    const right = Math.max(...xs) + HEAD.minW / 2 + BOX_PAD_PX
    return {
      id,
      label: labels.get(id) ?? '',
      box: { x: left, y: -BOX_PAD_PX, w: right - left, h: bottom + 2 * BOX_PAD_PX },
    }
  })
}
