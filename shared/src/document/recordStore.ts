/**
 * A key-value view of the `records` Y.Array: `{ key, val }` items, the rightmost item for a key
 * wins, writing a key appends a new item and deletes the old (the YKeyValue scheme of y-utility,
 * chosen over Y.Map in docs/architecture.md). Unlike y-utility's YKeyValue it tolerates items
 * that are not entries (null, numbers, nested types a bad peer wrote): they are skipped, never
 * thrown on, so such a board still opens. Must not touch: sockets, storage, validation of values.
 */
import type * as Y from 'yjs'

export interface KeyValueEntry<T> {
  key: string
  val: T
}

export type KeyValueChange<T> =
  | { action: 'add'; newValue: T }
  | { action: 'update'; oldValue: T; newValue: T }
  | { action: 'delete'; oldValue: T }

export type KeyValueListener<T> = (
  changes: Map<string, KeyValueChange<T>>,
  transaction: Y.Transaction,
) => void

/** True for an item shaped like an entry (an object with a string key); its value is not checked. */
function isEntry<T>(item: unknown): item is KeyValueEntry<T> {
  return (
    typeof item === 'object' &&
    item !== null &&
    !Array.isArray(item) &&
    typeof (item as { key?: unknown }).key === 'string'
  )
}

export class RecordStore<T> {
  /** The current entry of each key (identity-compared with array items). */
  readonly map = new Map<string, KeyValueEntry<T>>()
  private readonly doc: Y.Doc
  private readonly listeners = new Set<KeyValueListener<T>>()

  constructor(readonly yarray: Y.Array<unknown>) {
    if (!yarray.doc) throw new Error('the records array must belong to a doc')
    this.doc = yarray.doc
    const items = yarray.toArray()
    this.doc.transact(() => {
      for (let index = items.length - 1; index >= 0; index--) {
        const item = items[index]
        if (!isEntry<T>(item)) continue
        // An older entry for a key already seen further right is a leftover: remove it.
        if (this.map.has(item.key)) yarray.delete(index, 1)
        else this.map.set(item.key, item)
      }
    })
    yarray.observe(this.handleChange)
  }

  on(_event: 'change', listener: KeyValueListener<T>): void {
    this.listeners.add(listener)
  }

  off(_event: 'change', listener: KeyValueListener<T>): void {
    this.listeners.delete(listener)
  }

  get(key: string): T | undefined {
    return this.map.get(key)?.val
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  set(key: string, val: T): void {
    this.doc.transact(() => {
      if (this.map.has(key)) this.delete(key)
      this.yarray.push([{ key, val }])
    })
  }

  delete(key: string): void {
    let index = 0
    for (const item of this.yarray) {
      if (isEntry(item) && item.key === key) {
        this.yarray.delete(index, 1)
        return
      }
      index++
    }
  }

  private readonly handleChange = (event: Y.YArrayEvent<unknown>, transaction: Y.Transaction): void => {
    const changes = new Map<string, KeyValueChange<T>>()
    for (const item of event.changes.deleted) {
      for (const value of item.content.getContent()) {
        if (!isEntry<T>(value) || this.map.get(value.key) !== value) continue
        this.map.delete(value.key)
        changes.set(value.key, { action: 'delete', oldValue: value.val })
      }
    }
    const added = new Map<string, KeyValueEntry<T>>()
    for (const item of event.changes.added) {
      for (const value of item.content.getContent()) if (isEntry<T>(value)) added.set(value.key, value)
    }
    const toRemove = new Set<string>()
    const items = this.yarray.toArray()
    this.doc.transact(() => {
      // Right to left: the first entry met for a key is its current one; older ones go.
      for (let index = items.length - 1; index >= 0 && (added.size > 0 || toRemove.size > 0); index--) {
        const item = items[index]
        if (!isEntry<T>(item)) continue
        if (toRemove.has(item.key)) {
          toRemove.delete(item.key)
          this.yarray.delete(index, 1)
        } else if (added.get(item.key) === item) {
          const previous = this.map.get(item.key)
          const deleted = changes.get(item.key)
          if (previous) {
            toRemove.add(item.key)
            changes.set(item.key, { action: 'update', oldValue: previous.val, newValue: item.val })
          } else if (deleted?.action === 'delete') {
            changes.set(item.key, { action: 'update', oldValue: deleted.oldValue, newValue: item.val })
          } else {
            changes.set(item.key, { action: 'add', newValue: item.val })
          }
          added.delete(item.key)
          this.map.set(item.key, item)
        } else if (added.has(item.key)) {
          // An added entry that an entry further right already supersedes.
          toRemove.add(item.key)
          added.delete(item.key)
        }
      }
    })
    if (changes.size > 0) for (const listener of [...this.listeners]) listener(changes, transaction)
  }
}
