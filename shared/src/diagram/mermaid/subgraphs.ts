/**
 * Subgraphs as Mermaid assigns them: each open subgraph collects the ids its statements mention;
 * at `end` it takes those not already taken by a subgraph closed earlier (so the innermost wins),
 * and its own id joins the enclosing subgraph's list. A title with spaces and no id gets
 * Mermaid's generated id (`subGraph0`, …). Owns: subgraph ids, titles, membership, order.
 * Must not touch: statement parsing, records.
 */
import { DIAGRAM_LIMITS, type DiagramDirection, type DiagramGroup } from '../spec'
import { cleanMermaidLabel } from './labels'

interface OpenSubgraph {
  id?: string
  title: string
  mentions: string[]
  direction?: DiagramDirection
}

export interface ClosedSubgraph extends DiagramGroup {
  members: string[]
  direction?: DiagramDirection
}

export class Subgraphs {
  private readonly open: OpenSubgraph[] = []
  private readonly closed: ClosedSubgraph[] = []
  private readonly claimed = new Map<string, string>()

  get depth(): number {
    return this.open.length
  }

  /** The innermost open subgraph's id or title, for messages. */
  get innermost(): string | undefined {
    const top = this.open.at(-1)
    return top ? (top.id ?? top.title) : undefined
  }

  /** `subgraph id [title]`, `subgraph id["title"]`, `subgraph "title"`, `subgraph title`. */
  begin(header: string): void {
    // Mermaid's grammar takes one space after `subgraph`; a title with any other space (even a
    // second leading one) has no id of its own.
    const written = header.replace(/^[ \t]/, '')
    const text = header.trim()
    const bracket = text.match(/^([^\s[\]"]+)\s*\[(.*)\]$/s)
    if (bracket) {
      this.open.push({ id: bracket[1]!, title: cleanMermaidLabel(bracket[2]!), mentions: [] })
      return
    }
    const title = cleanMermaidLabel(text)
    // Mermaid's id is the written text without its quotes (markdown markers stay), if it has no spaces.
    const raw = written.replace(/^"(.*)"$/s, '$1').replace(/^`(.*)`$/s, '$1')
    const id = !/\s/.test(raw) && raw !== '' ? raw : undefined
    this.open.push({ ...(id ? { id } : {}), title, mentions: [] })
  }

  /** An id mentioned by a statement of the innermost open subgraph. */
  mention(id: string): void {
    this.open.at(-1)?.mentions.push(id)
  }

  direction(direction: DiagramDirection): void {
    const top = this.open.at(-1)
    if (top) top.direction = direction
  }

  /** `end`: false when no subgraph is open. */
  end(): boolean {
    const top = this.open.pop()
    if (!top) return false
    // Mermaid numbers generated ids by how many subgraphs closed before, named or not.
    const id = (top.id ?? `subGraph${this.closed.length}`).slice(0, DIAGRAM_LIMITS.idChars)
    const members: string[] = []
    for (const member of new Set(top.mentions)) {
      if (this.claimed.has(member) || member === id) continue
      this.claimed.set(member, id)
      members.push(member)
    }
    this.closed.push({
      id,
      label: top.title,
      members,
      ...(top.direction ? { direction: top.direction } : {}),
    })
    this.mention(id)
    return true
  }

  /** The subgraph holding `id`, if any. */
  parentOf(id: string): string | undefined {
    return this.claimed.get(id)
  }

  /** Every closed subgraph, parents before children, with `parent` set. */
  groups(): ClosedSubgraph[] {
    const byId = new Map(this.closed.map((group) => [group.id, group]))
    const out: ClosedSubgraph[] = []
    const placed = new Set<string>()
    const place = (group: ClosedSubgraph, seen: Set<string>) => {
      if (placed.has(group.id) || seen.has(group.id)) return
      seen.add(group.id)
      const parent = this.claimed.get(group.id)
      const parentGroup = parent === undefined ? undefined : byId.get(parent)
      if (parentGroup) place(parentGroup, seen)
      placed.add(group.id)
      out.push({ ...group, ...(parentGroup && placed.has(parentGroup.id) ? { parent: parentGroup.id } : {}) })
    }
    for (const group of this.closed) place(group, new Set())
    return out
  }
}
