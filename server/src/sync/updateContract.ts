/**
 * The document contract, applied to an incoming update before any of it reaches the doc: the update
 * is decoded once (and the room applies that decode, `integrateDecoded.ts`) and every item it inserts
 * is checked — where it goes (`records`, `meta` or `chat`;
 * never another top-level type, never a nested type) and what it holds (plain values that pass the
 * checks of `shared/src/document/contract.ts`). An item that names no parent inherits its origin's,
 * found in the same update or in the doc. Pure apart from reading the doc's struct store.
 */
import {
  CHAT_KEY,
  checkChatMessage,
  checkMetaEntry,
  checkRecordEntry,
  DOC_ROOT_NAMES,
  META_KEY,
  RECORDS_KEY,
} from '@drawbridge/shared'
import * as Y from 'yjs'

export type UpdateCheck = { ok: true } | { ok: false; reason: 'malformed' | 'contract'; error: string }

type Struct = Y.Item | Y.GC | Y.Skip
/** Where an item lands: a root type (and map key), nowhere (Yjs garbage-collects it), or unknown. */
type Placement = { root: string; sub: string | null } | 'collected' | 'nested' | 'unknown'

/** The struct of `structs` (one client's, ascending clocks) that holds `clock`. */
function structAt(structs: Struct[], clock: number): Struct | undefined {
  let low = 0
  let high = structs.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const struct = structs[middle]!
    if (clock < struct.id.clock) high = middle - 1
    else if (clock >= struct.id.clock + struct.length) low = middle + 1
    else return struct
  }
  return undefined
}

/** Placement of an item already in the doc. */
function storedPlacement(doc: Y.Doc, id: Y.ID): Placement | undefined {
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined
  const stored = Y.getItem(doc.store, id)
  if (!(stored instanceof Y.Item) || !(stored.parent instanceof Y.AbstractType)) return 'collected'
  if (stored.parent._item !== null) return 'nested'
  return { root: Y.findRootTypeKey(stored.parent), sub: stored.parentSub }
}

function placementResolver(doc: Y.Doc, structs: Struct[]) {
  const byClient = new Map<number, Struct[]>()
  for (const struct of structs) {
    const list = byClient.get(struct.id.client)
    if (list) list.push(struct)
    else byClient.set(struct.id.client, [struct])
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  const known = new Map<Y.Item, Placement>()

  /** Follows origins (iteratively: chains of thousands of items are common) to a parent. */
  return (item: Y.Item): Placement => {
    const chain: Y.Item[] = []
    let current: Y.Item | undefined = item
    let placement: Placement | undefined
    while (current && placement === undefined) {
      placement = known.get(current)
      if (placement !== undefined) break
      chain.push(current)
      const parent: unknown = current.parent
      if (typeof parent === 'string') placement = { root: parent, sub: current.parentSub }
      else if (parent instanceof Y.ID) placement = 'nested'
      else {
        const origin = current.origin ?? current.rightOrigin
        if (!origin) placement = 'unknown'
        else {
          const inUpdate = structAt(byClient.get(origin.client) ?? [], origin.clock)
          if (inUpdate instanceof Y.Item) current = inUpdate
          else if (inUpdate instanceof Y.GC) placement = 'collected'
          else placement = storedPlacement(doc, origin) ?? 'unknown'
        }
      }
      if (chain.length > structs.length) placement = 'unknown' // an origin cycle: not a real update
    }
    const resolved = placement ?? 'unknown'
    for (const link of chain) known.set(link, resolved)
    return resolved
  }
}

/** Checks what one item would put into the doc. */
function checkContent(item: Y.Item, root: string, sub: string | null): string | undefined {
  if (!DOC_ROOT_NAMES.has(root)) return `writes the top-level type ${root.slice(0, 40)}, outside the document`
  if (item.content instanceof Y.ContentDeleted) return undefined
  if (!(item.content instanceof Y.ContentAny)) {
    return `${root} holds plain values only, not ${item.content.constructor.name}`
  }
  const values: unknown[] = item.content.getContent()
  for (const value of values) {
    let check: { ok: true } | { ok: false; error: string }
    if (root === META_KEY) {
      check = sub === null ? { ok: false, error: 'meta is a map' } : checkMetaEntry(sub, value)
    } else if (sub !== null) {
      check = { ok: false, error: `${root} is an array` }
    } else if (root === RECORDS_KEY) {
      check = checkRecordEntry(value)
    } else if (root === CHAT_KEY) {
      check = checkChatMessage(value)
    } else {
      check = { ok: false, error: `unknown root ${root}` }
    }
    if (!check.ok) return check.error
  }
  return undefined
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** Decodes an update's structs and delete set, or says why the bytes are not an update. */
export function decodeUpdate(
  update: Uint8Array,
): { ok: true; decoded: DecodedUpdate } | { ok: false; reason: 'malformed'; error: string } {
  try {
    return { ok: true, decoded: Y.decodeUpdate(update) }
  } catch (error) {
    return { ok: false, reason: 'malformed', error: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * Checks a decoded update against the document contract, given the doc it would apply to.
 * Deletions are not checked (any editor may delete); insertions are.
 */
export function checkDecoded(doc: Y.Doc, decoded: DecodedUpdate): UpdateCheck {
  const placementOf = placementResolver(doc, decoded.structs)
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const placement = placementOf(struct)
    if (placement === 'collected') continue
    if (placement === 'nested') return { ok: false, reason: 'contract', error: 'writes into a nested type' }
    if (placement === 'unknown') {
      return { ok: false, reason: 'contract', error: 'refers to content the server does not have' }
    }
    const error = checkContent(struct, placement.root, placement.sub)
    if (error) return { ok: false, reason: 'contract', error }
  }
  return { ok: true }
}

/** Decodes `update` and checks it against the document contract. */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): UpdateCheck {
  const decoded = decodeUpdate(update)
  return decoded.ok ? checkDecoded(doc, decoded.decoded) : decoded
}
