/**
 * Applies an update the document contract has already decoded (`Y.decodeUpdate`) without decoding it
 * a second time, when Yjs would integrate all of it at once: nothing pending in the doc, only items
 * (no GC or skip structs), each client's items continuing exactly where the doc's state for that
 * client ends, every item's origins either in the doc or earlier in its own client's run, and every
 * deletion within what the doc holds afterwards. That is what an editor's live edit looks like. For
 * anything else it returns false and the caller applies the bytes with `Y.applyUpdate`.
 *
 * The steps are those of yjs 13.6's `readUpdateV2` for that case (`integrateStructs`: highest client
 * first, `getMissing` then `integrate`; then `readAndApplyDeleteSet`, splitting items at range
 * bounds), in one non-local transaction with `origin`, through Yjs's exported API only; so the doc,
 * the 'update' event and everything after are those of `Y.applyUpdate` (`integrateDecoded.test.ts`
 * compares the two byte for byte). Must not touch: anything but the doc.
 */
import * as Y from 'yjs'
import type { DecodedUpdate } from './updateContract'

/** Each client's items in clock order, or undefined when the update is not one this path takes. */
function runsByClient(doc: Y.Doc, decoded: DecodedUpdate): Map<number, Y.Item[]> | undefined {
  const runs = new Map<number, Y.Item[]>()
  let current: Y.Item[] | undefined
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) return undefined
    const client = struct.id.client
    const last = current?.[current.length - 1]
    if (last && last.id.client === client) {
      if (struct.id.clock !== last.id.clock + last.length) return undefined
      current!.push(struct)
      continue
    }
    // A client's first item (a client listed twice is not what an encoder writes: left to Yjs).
    if (runs.has(client) || struct.id.clock !== Y.getState(doc.store, client)) return undefined
    current = [struct]
    runs.set(client, current)
  }
  return runs
}

/** True when `dependency` is in the doc already, or earlier in the run of the item that names it. */
function isAvailable(doc: Y.Doc, item: Y.Item, dependency: Y.ID | null): boolean {
  if (dependency === null) return true
  if (dependency.client === item.id.client) return dependency.clock < item.id.clock
  return dependency.clock < Y.getState(doc.store, dependency.client)
}

function canIntegrate(doc: Y.Doc, runs: Map<number, Y.Item[]>, decoded: DecodedUpdate): boolean {
  for (const run of runs.values()) {
    for (const item of run) {
      const parent = item.parent as unknown
      if (parent instanceof Y.ID && !isAvailable(doc, item, parent)) return false
      if (!isAvailable(doc, item, item.origin) || !isAvailable(doc, item, item.rightOrigin)) return false
    }
  }
  for (const [client, deletions] of decoded.ds.clients) {
    const run = runs.get(client)
    const last = run?.[run.length - 1]
    const stateAfter = last ? last.id.clock + last.length : Y.getState(doc.store, client)
    // Yjs keeps a deletion of anything it does not hold as pending: left to it.
    for (const { clock, len } of deletions) if (clock >= stateAfter || clock + len > stateAfter) return false
  }
  return true
}

/** Yjs's `readAndApplyDeleteSet` for ranges the doc holds: split at the bounds, delete what is not. */
function applyDeletions(transaction: Y.Transaction, decoded: DecodedUpdate): void {
  const store = transaction.doc.store
  for (const [client, deletions] of decoded.ds.clients) {
    const structs = store.clients.get(client) ?? []
    for (const { clock, len } of deletions) {
      const clockEnd = clock + len
      let index = Y.findIndexSS(structs, clock)
      let struct = structs[index]!
      if (!struct.deleted && struct.id.clock < clock) {
        Y.getItemCleanStart(transaction, Y.createID(client, clock))
        index++
      }
      while (index < structs.length) {
        struct = structs[index++]!
        if (struct.id.clock >= clockEnd) break
        if (struct.deleted) continue
        if (clockEnd < struct.id.clock + struct.length) {
          Y.getItemCleanStart(transaction, Y.createID(client, clockEnd))
        }
        ;(struct as Y.Item).delete(transaction)
      }
    }
  }
}

function resolveRoot(doc: Y.Doc, item: Y.Item): void {
  const parent: unknown = item.parent
  if (typeof parent === 'string') item.parent = doc.get(parent)
}

/** Applies `decoded` to `doc` with `origin` and returns true, or returns false having changed nothing. */
export function integrateDecoded(doc: Y.Doc, decoded: DecodedUpdate, origin: unknown): boolean {
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false
  const runs = runsByClient(doc, decoded)
  if (!runs || !canIntegrate(doc, runs, decoded)) return false
  const clients = [...runs.keys()].sort((a, b) => b - a)
  Y.transact(
    doc,
    (transaction) => {
      // A root named in the update is the doc's type of that name, resolved in the update's order
      // (Yjs does it while reading, so a root the update creates joins `doc.share` in the same order).
      for (const run of runs.values()) for (const item of run) resolveRoot(doc, item)
      for (const client of clients) {
        for (const item of runs.get(client)!) {
          item.getMissing(transaction, doc.store)
          item.integrate(transaction, 0)
        }
      }
      applyDeletions(transaction, decoded)
    },
    origin,
    false,
  )
  return true
}
