/**
 * Lets the doc's 'update' listeners receive an incoming update as its bytes arrived instead of as
 * Yjs re-encodes it. After every transaction with 'update' listeners, Yjs writes the transaction's
 * structs and deletions out again (decoding is done by then, so that is a second pass over every
 * value); for an update integrated whole (`integrateDecoded.ts`: every item, none pending) the bytes
 * as received say the same, and re-encoding them was a tenth of the server's CPU per update.
 *
 * How: for the one transaction `integrate` runs, the 'update' listeners are set aside just before
 * Yjs would encode (`afterTransactionCleanup`) and called with the received bytes where Yjs would
 * have called them; any transaction an observer starts inside it is encoded by Yjs as usual, and
 * its listeners still run after ours, in Yjs's order. Nothing is emitted when the transaction
 * changed nothing, as Yjs does. This reaches into lib0's `_observers` map, which Yjs itself checks
 * (`integrateDecoded.test.ts` compares the doc and what listeners receive with `Y.applyUpdate`).
 * Must not touch: anything but the doc's 'update' listeners, and those only inside `integrate`.
 */
import type * as Y from 'yjs'

type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void

/** Whether the transaction changed the doc: Yjs emits 'update' only then. */
function changedSomething(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true
  for (const [client, clock] of transaction.afterState)
    if (transaction.beforeState.get(client) !== clock) return true
  return false
}

/**
 * One doc's update listeners, able to hear an integrated update as it was received. Created once
 * per doc: its two Yjs listeners stay on the doc and do nothing until `integrate` arms them.
 */
export class UpdatesAsReceived {
  private readonly observers: Map<string, Set<UpdateListener>>
  private armed = false
  private received: Uint8Array | undefined
  private ours: Y.Transaction | undefined
  private setAside: Set<UpdateListener> | undefined

  constructor(private readonly doc: Y.Doc) {
    this.observers = doc._observers as Map<string, Set<UpdateListener>>
    doc.on('afterTransactionCleanup', this.beforeEncode)
    doc.on('afterAllTransactions', this.emitOurs)
  }

  /**
   * Runs `run` (at most one outermost transaction, returning whether it ran one) so that the
   * 'update' listeners get `received` for that transaction. Returns what `run` returned.
   */
  integrate(received: Uint8Array, run: () => boolean): boolean {
    this.armed = true
    this.received = received
    try {
      return run()
    } finally {
      this.armed = false
      this.received = undefined
      this.ours = undefined
      if (this.setAside) this.observers.set('update', this.setAside)
      this.setAside = undefined
    }
  }

  detach(): void {
    this.doc.off('afterTransactionCleanup', this.beforeEncode)
    this.doc.off('afterAllTransactions', this.emitOurs)
  }

  /** Our transaction: its listeners are set aside; a later one: ours are told first. */
  private readonly beforeEncode = (transaction: Y.Transaction): void => {
    if (!this.armed) return
    this.emitOurs()
    if (this.ours) return
    this.ours = transaction
    this.setAside = this.observers.get('update')
    if (this.setAside) this.observers.delete('update')
  }

  /** Puts the listeners back and tells them about our transaction, where Yjs would have. */
  private readonly emitOurs = (): void => {
    const { setAside, ours, received } = this
    if (!setAside || !ours || !received) return
    this.observers.set('update', setAside)
    this.setAside = undefined
    if (!changedSomething(ours)) return
    for (const listener of [...setAside]) listener(received, ours.origin, this.doc, ours)
  }
}
