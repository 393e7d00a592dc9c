/**
 * Drawing a diagram spec onto the board as it grows: lay it out (ELK), place it once in free space
 * where the requester is looking (inside their view, else next to it; beside the selection when
 * there is one; beside the board's content when the request carried no view), turn it into records
 * with ids keyed by the job (a re-run overwrites instead of duplicating) and write only what
 * changed, moving the agent's cursor to the newest shape. When the finished drawing outgrew its
 * spot and would cover someone's shapes, it moves to a free one (`settle`).
 * Owns: the progressive drawing. Must not touch: models, the queue.
 */
import {
  type Box,
  type DiagramLayout,
  type DiagramSpec,
  diagramToRecords,
  findFreeSpace,
  findSpaceInView,
  getIndexAbove,
  type IndexKey,
  layoutDiagram,
  MAX_SHAPES_PER_PAGE,
  pageBoxOf,
  pageOf,
  ShapeLimitError,
  shapesOnPage,
  type TLRecord,
  type TLShape,
  unionOf,
} from '@drawbridge/shared'
import type { AgentPeer } from './agentPeer'

/** Pace of a diagram drawn in steps, so people see it being drawn (capped in total). */
const STEP_MS = 80
const STEPS_MAX_MS = 3_000
/** A diagram drawn in steps is revealed in at most this many layouts, however many nodes it has. */
const MAX_STEPS = 30

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A generous first guess at a diagram's size, so the spot chosen at the start still fits at the end. */
const ROOM_TO_GROW = { w: 1600, h: 1000 }
/** Looking at a view, at most this share of it is reserved for a drawing whose size is not known yet. */
const VIEW_SHARE_TO_GROW = 0.6

const overlapping = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/** Shapes a whole spec becomes at most: one per node, edge and group, and its title. */
const shapesOf = (spec: DiagramSpec) =>
  spec.nodes.length + spec.edges.length + (spec.groups?.length ?? 0) + (spec.title ? 1 : 0)

const isShape = (record: TLRecord | undefined): record is TLShape => record?.typeName === 'shape'
const sameRecord = (a: TLRecord | undefined, b: TLRecord) =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b)

export class DiagramDrawer {
  private origin: { x: number; y: number } | undefined
  /** The spec last drawn, as JSON. */
  private drawnSpec: string | undefined
  private readonly written = new Map<string, TLRecord>()
  /** Ids of the latest draft: what the board should hold when the job ends. */
  private current = new Set<string>()
  private readonly indexAbove: IndexKey | undefined
  private readonly occupied: Box[]
  private readonly near: Box | undefined
  /** The spec and layout last drawn. */
  private last: { spec: DiagramSpec; layout: DiagramLayout } | undefined

  constructor(
    private readonly peer: AgentPeer,
    private readonly keyPrefix: string,
    selection: string[],
    /** ELK layout; the server passes one that runs in a worker thread. */
    private readonly layout: (spec: DiagramSpec) => Promise<DiagramLayout> = layoutDiagram,
    /** What the requester is looking at (page coordinates on the agent's page), if known. */
    private readonly view?: Box,
  ) {
    const records = peer.records
    const mine = (record: TLRecord) => record.id.includes(keyPrefix)
    const onPage = [...records.values()].filter(
      (record): record is TLShape =>
        isShape(record) && !mine(record) && pageOf(record, records) === peer.page,
    )
    this.occupied = onPage.filter((shape) => shape.type !== 'arrow').map((shape) => pageBoxOf(shape, records))
    const selected = new Set(selection)
    this.near = unionOf(
      onPage.filter((shape) => selected.has(shape.id)).map((shape) => pageBoxOf(shape, records)),
    )
    let highest: IndexKey | undefined
    for (const shape of onPage) {
      if (shape.parentId === peer.page && (!highest || shape.index > highest)) highest = shape.index
    }
    this.indexAbove = highest ?? getIndexAbove(null)
    // An earlier attempt of this job (before a crash or a retry) may have drawn already: those
    // records are this drawing's too, replaced or removed when it finishes, never duplicated.
    for (const record of records.values()) if (mine(record)) this.written.set(record.id, record)
  }

  /**
   * Refuses (ShapeLimitError) a drawing of `shapes` shapes that would put the page past the limit
   * (a full page freezes for people: their editor refuses new shapes). What this drawing already
   * put there is counted as its own, not as the page's.
   */
  private ensureRoom(shapes: number): void {
    const board = this.peer.records
    let mine = 0
    for (const record of this.written.values()) if (isShape(record) && board.has(record.id)) mine++
    const others = shapesOnPage(board, this.peer.page) - mine
    if (others + shapes > MAX_SHAPES_PER_PAGE) throw new ShapeLimitError(others, shapes)
  }

  /** Shapes (not bindings) drawn so far. */
  get shapeCount(): number {
    let count = 0
    for (const record of this.written.values()) if (record.typeName === 'shape') count++
    return count
  }

  /** Where the drawing is now (page coordinates), once something was drawn. */
  get bounds(): Box | undefined {
    if (!this.origin || !this.last) return undefined
    return { ...this.origin, w: this.last.layout.width, h: this.last.layout.height }
  }

  /** A free spot for a `size` box where the requester looks (or beside the content). */
  private place(size: { w: number; h: number }): { x: number; y: number } {
    return this.view
      ? findSpaceInView(this.occupied, size, this.view, this.near)
      : findFreeSpace(this.occupied, size, this.near)
  }

  /**
   * Chooses the spot for a diagram whose final form is known (the planner's): sized for the whole
   * of it, so the steps drawn on the way there land where it ends.
   */
  async reserve(spec: DiagramSpec): Promise<void> {
    if (spec.nodes.length > 0) this.ensureRoom(shapesOf(spec))
    if (this.origin || spec.nodes.length === 0) return
    const layout = await this.layout(spec)
    this.origin = this.place({ w: layout.width, h: layout.height })
    this.peer.showPresence(this.origin)
  }

  /** Draws `spec` (a prefix of the final diagram while streaming); returns how many records changed. */
  async draw(spec: DiagramSpec): Promise<number> {
    if (spec.nodes.length === 0) return 0
    // The finished answer is often the last draft again: no second layout (seconds, for hundreds of nodes).
    const key = JSON.stringify(spec)
    if (key === this.drawnSpec) return 0
    const layout = await this.layout(spec)
    if (!this.origin) {
      const guess = this.view
        ? {
            w: Math.min(ROOM_TO_GROW.w, this.view.w * VIEW_SHARE_TO_GROW),
            h: Math.min(ROOM_TO_GROW.h, this.view.h * VIEW_SHARE_TO_GROW),
          }
        : ROOM_TO_GROW
      this.origin = this.place({ w: Math.max(layout.width, guess.w), h: Math.max(layout.height, guess.h) })
    }
    this.last = { spec, layout }
    const { records } = diagramToRecords(layout, spec, {
      origin: this.origin,
      pageId: this.peer.page as never,
      keyPrefix: this.keyPrefix,
      indexAbove: this.indexAbove,
    })
    this.ensureRoom(records.filter(isShape).length)
    this.current = new Set(records.map((record) => record.id))
    this.drawnSpec = key
    const changed = records.filter((record) => !sameRecord(this.written.get(record.id), record))
    if (changed.length === 0) return 0
    this.peer.write(changed)
    for (const record of changed) this.written.set(record.id, record)
    const newest = [...changed].reverse().find((record) => isShape(record) && record.type !== 'arrow')
    if (isShape(newest)) {
      const box = pageBoxOf(newest, this.written)
      this.peer.showPresence({ x: box.x + box.w / 2, y: box.y + box.h / 2 })
    }
    return changed.length
  }

  /**
   * Moves the finished drawing to a free spot when it grew over shapes that were there (its spot
   * was chosen for a smaller guess); returns whether it moved.
   */
  async settle(): Promise<boolean> {
    const box = this.bounds
    if (!box || !this.last) return false
    if (!this.occupied.some((other) => overlapping(box, other))) return false
    this.origin = this.place({ w: box.w, h: box.h })
    this.drawnSpec = undefined
    await this.draw(this.last.spec)
    return true
  }

  /**
   * Draws a whole diagram in steps, so everyone sees it appear: node by node for small diagrams,
   * at most MAX_STEPS layouts for large ones (each step is a whole ELK layout). Stops early when
   * `shouldContinue` says so; `onStep` hears the shape count after each step.
   */
  async drawInSteps(
    spec: DiagramSpec,
    options: { shouldContinue?: () => boolean; onStep?: (shapes: number) => void } = {},
  ): Promise<void> {
    const total = spec.nodes.length
    // Refused before the first step: no half-drawn diagram appears and vanishes.
    if (total > 0) this.ensureRoom(shapesOf(spec))
    const perStep = Math.max(1, Math.ceil(total / MAX_STEPS))
    const counts: number[] = []
    for (let count = perStep; count < total; count += perStep) counts.push(count)
    counts.push(total)
    const step = Math.min(STEP_MS, STEPS_MAX_MS / counts.length)
    for (const count of counts) {
      if (options.shouldContinue && !options.shouldContinue()) return
      await this.draw({ ...spec, nodes: spec.nodes.slice(0, count) })
      options.onStep?.(this.shapeCount)
      await sleep(step)
    }
  }

  /** Removes everything this drawing put on the board (a job that fails leaves nothing behind). */
  discard(): void {
    const ids = [...this.written.keys()]
    if (ids.length > 0) this.peer.write([], ids)
    this.written.clear()
    this.current.clear()
    this.drawnSpec = undefined
    this.last = undefined
  }

  /**
   * Removes what earlier drafts drew that the final diagram no longer has (a node renamed while
   * streaming, an attempt that was retried) and returns the ids the job created.
   */
  finish(): string[] {
    const stale = [...this.written.keys()].filter((id) => !this.current.has(id))
    if (stale.length > 0) this.peer.write([], stale)
    for (const id of stale) this.written.delete(id)
    return [...this.written.keys()]
  }
}
