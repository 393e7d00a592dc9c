import { describe, expect, it } from 'vitest'
import { ByteBudget } from './byteBudget'

describe('ByteBudget', () => {
  it('lets takers in while they fit, queues the rest in order, and caps one taker at the whole', async () => {
    const budget = new ByteBudget(100)
    const order: string[] = []
    const first = await budget.take(60)
    const second = budget.take(60).then((release) => {
      order.push('second')
      return release
    })
    const third = budget.take(10).then((release) => {
      order.push('third') // fits, but waits behind the second: no overtaking
      return release
    })
    await Promise.resolve()
    expect(order).toEqual([])
    first()
    first() // releasing twice gives back nothing more
    ;(await second)()
    ;(await third)()
    expect(order).toEqual(['second', 'third'])
    const huge = await budget.take(10_000)
    huge()
  })
})
