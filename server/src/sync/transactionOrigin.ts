/**
 * Who made a change to a doc: the one origin every Yjs transaction (and awareness change) the server
 * makes carries, as a union discriminated by `kind`. The room reads it once per change
 * (`originOf`) and hands it to the lifecycle hooks, which decide from it: persistence stores
 * everything but a replica's change, replication publishes everything but a replica's change,
 * versions count everything but a replica's change, fan-out skips the sending connection.
 * Pure: no rooms, no sockets.
 */

export type TransactionOrigin =
  /** A client's WebSocket: its updates and presence. */
  | { readonly kind: 'connection'; readonly connectionId: number }
  /** Another instance, relayed over Redis: its own instance persists, versions and publishes it. */
  | { readonly kind: 'replica' }
  /** The co-pilot peer writing in its own doc (it reaches the room as a connection). */
  | { readonly kind: 'agent' }
  /** The co-pilot service writing into a loaded room: the prompt in chat, an undo. */
  | { readonly kind: 'ai-service' }
  /** A version restored through the API. */
  | { readonly kind: 'restore' }
  /** A draw.io file imported through the API. */
  | { readonly kind: 'import' }
  /** The owner renaming the board through the API. */
  | { readonly kind: 'owner-edit' }
  /** Server code that named no origin (Yjs's `null`), or y-protocols' awareness timeout. */
  | { readonly kind: 'server' }

export type OriginKind = TransactionOrigin['kind']
export type ConnectionOrigin = Extract<TransactionOrigin, { kind: 'connection' }>

/** The origins that carry no data: one frozen object each, so a transaction's origin is compared by identity. */
export const Origins = Object.freeze({
  replica: Object.freeze({ kind: 'replica' }),
  agent: Object.freeze({ kind: 'agent' }),
  aiService: Object.freeze({ kind: 'ai-service' }),
  restore: Object.freeze({ kind: 'restore' }),
  import: Object.freeze({ kind: 'import' }),
  ownerEdit: Object.freeze({ kind: 'owner-edit' }),
  server: Object.freeze({ kind: 'server' }),
} satisfies Record<string, Exclude<TransactionOrigin, ConnectionOrigin>>)

/** The origin of one connection's changes (made once per connection). */
export function connectionOrigin(connectionId: number): ConnectionOrigin {
  return Object.freeze({ kind: 'connection', connectionId })
}

const KINDS: ReadonlySet<string> = new Set<OriginKind>([
  'connection',
  'replica',
  'agent',
  'ai-service',
  'restore',
  'import',
  'owner-edit',
  'server',
])

/** Types the origin Yjs or y-protocols hands a listener; anything that is not one of ours is the server's. */
export function originOf(value: unknown): TransactionOrigin {
  if (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has((value as { kind?: unknown }).kind as string)
  ) {
    return value as TransactionOrigin
  }
  return Origins.server
}

/** Whether a change is this instance's to persist, version and publish (every change but a replica's). */
export function isLocal(origin: TransactionOrigin): boolean {
  return origin.kind !== 'replica'
}
