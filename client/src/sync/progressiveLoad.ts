/**
 * Hands an opening board to tldraw's store in the order `loadOrder.ts` plans: the document, pages
 * and assets at once (the editor needs a page to start on), the first view's shapes when the load
 * starts (`run`, called as the editor mounts, before its first frame — so their labels can be
 * measured together, see `board/labelMeasurement.ts`), the rest one batch per frame after it. Records wait here
 * (`pending`, as the doc last had them) until their turn; a remote edit to one of them — or a new
 * record — goes in at once with what it needs, a remote delete just drops it, so nothing is lost or
 * applied out of order. Every put is a remote change for tldraw (`mergeRemoteChanges`): the
 * binding never writes it back to the doc and it never enters the person's undo stack.
 * Must not touch: the Y doc (the binding reads it), the network, the camera.
 */
import { isDocumentRecord, type TLRecord } from '@drawbridge/shared'
import type { TLStore } from 'tldraw'
import { type FirstView, LoadGraph, planLoad, putOrder, withDependencies } from './loadOrder'

/** Shapes in the first batch after the first frame (each batch's geometry and labels are built in one frame). */
export const BATCH_SHAPES = 250
/**
 * Each later batch is at least this share of the shapes already in: every frame between batches
 * repaints what is loaded, so batches grow with it and a board loads in a few frames, not hundreds.
 */
export const BATCH_GROWTH = 0.5

export class ProgressiveLoad {
  private readonly pending = new Map<string, TLRecord>()
  private readonly later: string[]
  /** The first view's shapes (with their bindings), put when the load starts. */
  private firstShapes: string[]
  private cursor = 0
  private stopped = false
  private running: Promise<void> | undefined
  /** Shapes handed to the store so far (the next batch's size grows with it). */
  private loadedShapes = 0
  private readonly whenDone: Promise<void>
  private resolveDone: () => void = () => {}

  constructor(
    private readonly store: TLStore,
    records: readonly TLRecord[],
    view: FirstView,
    private readonly put: (records: TLRecord[], remove?: string[]) => void,
  ) {
    this.whenDone = new Promise((resolve) => {
      this.resolveDone = resolve
    })
    for (const record of records) this.pending.set(record.id, record)
    const plan = planLoad(records, view)
    this.later = plan.later
    const isShapeOrBinding = (id: string) => {
      const typeName = this.pending.get(id)?.typeName
      return typeName === 'shape' || typeName === 'binding'
    }
    this.firstShapes = plan.first.filter(isShapeOrBinding)
    this.putIds(plan.first.filter((id) => !isShapeOrBinding(id)))
  }

  /** Puts the first view's shapes if they are still held; true if it did. */
  private putFirstShapes(): boolean {
    if (this.firstShapes.length === 0) return false
    const ids = this.firstShapes
    this.firstShapes = []
    this.putIds(ids)
    return true
  }

  /** The records of the board not in the store yet. */
  get waitingRecords(): TLRecord[] {
    return [...this.pending.values()]
  }

  /** Records of the board not in the store yet. */
  get waiting(): number {
    return this.pending.size
  }

  /** Resolves once every record of the board has been handed to the store (or the load stopped). */
  get done(): Promise<void> {
    return this.whenDone
  }

  /** Puts the next batch; true while more remain. */
  step(): boolean {
    if (this.stopped) return false
    if (this.putFirstShapes()) return this.finishIfEmpty()
    const graph = this.graph()
    const units: string[] = []
    const size = Math.max(BATCH_SHAPES, Math.round(this.loadedShapes * BATCH_GROWTH))
    let shapes = 0
    while (this.cursor < this.later.length && shapes < size) {
      const unit = this.later[this.cursor++] as string
      if (!this.pending.has(unit)) continue
      units.push(unit)
      shapes += graph.members(graph.unitOf(unit)).length
    }
    const ids = withDependencies(graph, units, (id) => this.pending.has(id))
    // Past the last unit, whatever is left (a shape a remote edit moved out of its unit, a binding
    // whose end never came) goes in as the whole board always did.
    if (this.cursor >= this.later.length) ids.push(...this.pending.keys())
    this.putIds(ids)
    return this.finishIfEmpty()
  }

  /** Puts everything still waiting at once (before an action that needs the whole board). */
  finish(): void {
    if (this.stopped) return
    this.putIds([...this.pending.keys()])
    this.finishIfEmpty()
  }

  /** Loads the rest, one batch after each `nextFrame()`, until done or stopped (once: later calls join). */
  run(nextFrame: () => Promise<void>): Promise<void> {
    this.running ??= (async () => {
      if (!this.stopped) this.putFirstShapes()
      while (!this.stopped && this.pending.size > 0) {
        await nextFrame()
        try {
          this.step()
        } catch (error) {
          // A batch that cannot be planned must not leave the board half loaded.
          console.warn('[drawbridge] loading the rest of the board at once', error)
          this.finish()
        }
      }
      this.finishIfEmpty()
    })()
    return this.running
  }

  stop(): void {
    this.stopped = true
    this.resolveDone()
  }

  /**
   * A change from someone else (already validated): deletes leave the store or the waiting list;
   * new and changed records go in now, after whatever they need that is still waiting.
   */
  remote(changed: readonly TLRecord[], deleted: readonly string[]): void {
    for (const id of deleted) this.pending.delete(id)
    for (const record of changed) this.pending.delete(record.id)
    const graph = this.graph(changed)
    const starts: string[] = []
    for (const record of changed) {
      if (record.typeName === 'shape') starts.push(record.id)
      else if (record.typeName === 'binding') starts.push(record.fromId, record.toId)
    }
    const needs = withDependencies(graph, starts, (id) => this.pending.has(id))
    const inStore = deleted.filter((id) => this.store.has(id as TLRecord['id']))
    this.put(putOrder([...changed, ...this.take(needs)]), inStore)
    this.finishIfEmpty()
  }

  private putIds(ids: readonly string[]): void {
    const records = this.take(ids)
    if (records.length > 0) this.put(putOrder(records))
  }

  private take(ids: readonly string[]): TLRecord[] {
    const out: TLRecord[] = []
    for (const id of ids) {
      const record = this.pending.get(id)
      if (!record) continue
      this.pending.delete(id)
      out.push(record)
      if (record.typeName === 'shape') this.loadedShapes++
    }
    return out
  }

  /** The board as it is now: the store's document records, the waiting ones, and `extra` over both. */
  private graph(extra: readonly TLRecord[] = []): LoadGraph {
    const inStore = this.store.allRecords().filter((record) => isDocumentRecord(record)) as TLRecord[]
    return new LoadGraph([...inStore, ...this.pending.values(), ...extra])
  }

  private finishIfEmpty(): boolean {
    if (this.pending.size > 0 && !this.stopped) return true
    this.resolveDone()
    return false
  }
}
