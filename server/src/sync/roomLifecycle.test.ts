import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { RoomHooks } from './roomHooks'
import { RoomLifecycle } from './roomLifecycle'
import { connectionOrigin, Origins } from './transactionOrigin'

/** Hooks that write down every call they get, under `name`. */
function recording(name: string, calls: string[], overrides: RoomHooks = {}): RoomHooks {
  return {
    onChange: (_update, origin) => void calls.push(`${name}.onChange(${origin.kind})`),
    onAwareness: (_update, origin) => void calls.push(`${name}.onAwareness(${origin.kind})`),
    onStore: (event) => void calls.push(`${name}.onStore(${event.type})`),
    beforeUnload: async (reason) => {
      await Promise.resolve()
      calls.push(`${name}.beforeUnload(${reason})`)
    },
    onUnload: (reason) => void calls.push(`${name}.onUnload(${reason})`),
    onDiscard: () => void calls.push(`${name}.onDiscard`),
    ...overrides,
  }
}

describe('RoomLifecycle', () => {
  it('calls every hook in the order it was added, and both unload phases one after the other', async () => {
    const calls: string[] = []
    const lifecycle = new RoomLifecycle(pino({ level: 'silent' }))
    lifecycle.add(recording('persistence', calls))
    lifecycle.add({ onChange: (_update, origin) => void calls.push(`versions.onChange(${origin.kind})`) })
    lifecycle.add(recording('replication', calls))
    lifecycle.change(new Uint8Array(), connectionOrigin(7))
    lifecycle.awareness(new Uint8Array(), Origins.replica)
    lifecycle.store({ type: 'compacted' })
    await lifecycle.unload('idle')
    await lifecycle.discard()
    expect(calls).toEqual([
      'persistence.onChange(connection)',
      'versions.onChange(connection)',
      'replication.onChange(connection)',
      'persistence.onAwareness(replica)',
      'replication.onAwareness(replica)',
      'persistence.onStore(compacted)',
      'replication.onStore(compacted)',
      'persistence.beforeUnload(idle)',
      'replication.beforeUnload(idle)',
      'persistence.onUnload(idle)',
      'replication.onUnload(idle)',
      'persistence.onDiscard',
      'replication.onDiscard',
    ])
  })

  it('logs a hook that throws and still runs the others', async () => {
    const calls: string[] = []
    const logged: string[] = []
    const log = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) })
    const lifecycle = new RoomLifecycle(log)
    lifecycle.add(
      recording('broken', calls, {
        onChange: () => {
          throw new Error('boom')
        },
        onUnload: async () => {
          throw new Error('bang')
        },
      }),
    )
    lifecycle.add(recording('next', calls))
    lifecycle.change(new Uint8Array(), Origins.server)
    await lifecycle.unload('shutdown')
    expect(calls).toEqual([
      'next.onChange(server)',
      'broken.beforeUnload(shutdown)',
      'next.beforeUnload(shutdown)',
      'next.onUnload(shutdown)',
    ])
    expect(logged.map((line) => JSON.parse(line).hook)).toEqual(['onChange', 'onUnload'])
  })
})
