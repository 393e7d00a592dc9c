/**
 * Collects what one turn of the event loop produces and hands it over once, when the turn ends: in
 * the check phase, right after the poll phase whose callbacks produced it. Under load one turn reads
 * many frames, so one hand-over carries many of them — one `writev` per socket, one `INSERT` for
 * many rooms' rows, one Redis pipeline — for at most the rest of the turn's wait. Owns: the items
 * of the turn in progress. Must not touch: what is done with them (the `flush` callback's business).
 */
export class TurnBatch<T> {
  private items: T[] = []
  private readonly members: Set<T> | undefined

  /** `unique`: an item added twice in a turn is handed over once (`add` says whether it was new). */
  constructor(
    private readonly flush: (items: T[]) => void,
    options: { unique?: boolean } = {},
  ) {
    this.members = options.unique ? new Set() : undefined
  }

  /** Adds `item` to this turn's batch; false when the batch is `unique` and already holds it. */
  add(item: T): boolean {
    if (this.members) {
      if (this.members.has(item)) return false
      this.members.add(item)
    }
    if (this.items.length === 0) setImmediate(this.endTurn)
    this.items.push(item)
    return true
  }

  private readonly endTurn = (): void => {
    const items = this.items
    this.items = []
    this.members?.clear()
    this.flush(items)
  }
}
