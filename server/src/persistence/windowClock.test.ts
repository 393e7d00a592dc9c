import { describe, expect, it } from 'vitest'
import { atWindowEnd } from './windowClock'

const turn = () => new Promise((resolve) => setImmediate(resolve))

describe('the window clock', () => {
  it("ends every room's window in the same turn", async () => {
    const ended: Array<{ room: string; at: number }> = []
    let turns = 0
    const counting = setInterval(() => turns++, 0)
    // Start just after a boundary, so both rooms wait in the same 1 s window.
    await new Promise<void>((resolve) => atWindowEnd(1000, resolve))
    atWindowEnd(1000, () => ended.push({ room: 'a', at: turns }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    atWindowEnd(1000, () => ended.push({ room: 'b', at: turns }))
    while (ended.length < 2) await turn()
    clearInterval(counting)
    expect(ended.map((end) => end.room)).toEqual(['a', 'b'])
    expect(ended[0]!.at).toBe(ended[1]!.at)
  })

  it('does not call a cancelled callback, and calls the others', async () => {
    const ended: string[] = []
    const cancel = atWindowEnd(30, () => ended.push('cancelled'))
    atWindowEnd(30, () => ended.push('kept'))
    cancel()
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(ended).toEqual(['kept'])
  })
})
