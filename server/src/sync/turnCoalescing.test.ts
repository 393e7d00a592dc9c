import { describe, expect, it } from 'vitest'
import { RepeatsThisTurn } from './turnCoalescing'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('RepeatsThisTurn', () => {
  it('says false for the first time in a turn and true for every later one', async () => {
    const broadcasts = new RepeatsThisTurn()
    expect(broadcasts.again()).toBe(false)
    expect(broadcasts.again()).toBe(true)
    expect(broadcasts.again()).toBe(true)
    await nextTurn()
    expect(broadcasts.again()).toBe(false)
    expect(broadcasts.again()).toBe(true)
  })

  it('counts each thing on its own', () => {
    const one = new RepeatsThisTurn()
    const other = new RepeatsThisTurn()
    expect(one.again()).toBe(false)
    expect(other.again()).toBe(false)
    expect(one.again()).toBe(true)
  })

  it('starts afresh after a turn in which nothing happened', async () => {
    const broadcasts = new RepeatsThisTurn()
    expect(broadcasts.again()).toBe(false)
    await nextTurn()
    await nextTurn()
    expect(broadcasts.again()).toBe(false)
  })
})
