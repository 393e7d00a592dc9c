/**
 * Calls one room's hooks (`roomHooks.ts`) in the order they were added — persistence's first, then
 * each extension's — for every change, presence update, store event, unload and discard. A hook that
 * throws is logged and the others still run: one extension's fault neither stops another's work nor
 * reaches the client whose update caused it. Must not touch: the doc, sockets, storage.
 */
import type { Logger } from '../logger'
import type { RoomHooks, StoreEvent, UnloadReason } from './roomHooks'
import type { TransactionOrigin } from './transactionOrigin'

export class RoomLifecycle {
  private readonly hooks: RoomHooks[] = []

  constructor(private readonly log: Logger) {}

  add(hooks: RoomHooks): void {
    this.hooks.push(hooks)
  }

  change(update: Uint8Array, origin: TransactionOrigin): void {
    for (const hooks of this.hooks) {
      if (!hooks.onChange) continue
      try {
        hooks.onChange(update, origin)
      } catch (error) {
        this.failed('onChange', error)
      }
    }
  }

  awareness(update: Uint8Array, origin: TransactionOrigin): void {
    for (const hooks of this.hooks) {
      if (!hooks.onAwareness) continue
      try {
        hooks.onAwareness(update, origin)
      } catch (error) {
        this.failed('onAwareness', error)
      }
    }
  }

  /** Passed to the store as its `report`: tells every hook what reached the database. */
  readonly store = (event: StoreEvent): void => {
    for (const hooks of this.hooks) {
      if (!hooks.onStore) continue
      try {
        hooks.onStore(event)
      } catch (error) {
        this.failed('onStore', error)
      }
    }
  }

  /** Runs every `beforeUnload`, then every `onUnload`, one after the other. */
  async unload(reason: UnloadReason): Promise<void> {
    for (const hooks of this.hooks) await this.guardAsync('beforeUnload', () => hooks.beforeUnload?.(reason))
    for (const hooks of this.hooks) await this.guardAsync('onUnload', () => hooks.onUnload?.(reason))
  }

  async discard(): Promise<void> {
    for (const hooks of this.hooks) await this.guardAsync('onDiscard', () => hooks.onDiscard?.())
  }

  private failed(hook: keyof RoomHooks, error: unknown): void {
    this.log.error({ err: error, hook }, 'room hook failed')
  }

  private async guardAsync(hook: keyof RoomHooks, call: () => void | Promise<void>): Promise<void> {
    try {
      await call()
    } catch (error) {
      this.failed(hook, error)
    }
  }
}
