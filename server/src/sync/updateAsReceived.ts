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
 * Must not touch: anything but the doc's 'update' listeners, and only inside `integrate`.
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
 * Runs `integrate` (at most one outermost transaction, returning whether it ran one) so that the
 * 'update' listeners get `received` for that transaction. Returns what `integrate` returned.
 */
export function integrateAsReceived(doc: Y.Doc, received: Uint8Array, integrate: () => boolean): boolean {
  const observers = doc._observers as Map<string, Set<UpdateListener>>
  let ours: Y.Transaction | undefined
  let setAside: Set<UpdateListener> | undefined
  /** Puts the listeners back and tells them about our transaction, where Yjs would have. */
  const emitOurs = () => {
    if (!setAside || !ours) return
    observers.set('update', setAside)
    const transaction = ours
    setAside = undefined
    if (!changedSomething(transaction)) return
    for (const listener of [...(observers.get('update') ?? [])])
      listener(received, transaction.origin, doc, transaction)
  }
  const beforeEncode = (transaction: Y.Transaction) => {
    emitOurs()
    if (ours) return
    ours = transaction
    setAside = observers.get('update')
    if (setAside) observers.delete('update')
  }
  doc.on('afterTransactionCleanup', beforeEncode)
  doc.on('afterAllTransactions', emitOurs)
  try {
    return integrate()
  } finally {
    doc.off('afterTransactionCleanup', beforeEncode)
    doc.off('afterAllTransactions', emitOurs)
    if (setAside) observers.set('update', setAside)
  }
}
