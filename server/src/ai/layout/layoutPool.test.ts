import { layoutDiagram, syntheticDiagram } from '@drawbridge/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../logger'
import { LayoutPool } from './layoutPool'

describe('LayoutPool', () => {
  const pool = new LayoutPool(createLogger('silent'))
  afterAll(() => pool.close())

  it('lays a diagram out in the worker exactly as in this thread', async () => {
    const spec = syntheticDiagram(30, { groups: 3 })
    const [inWorker, here] = await Promise.all([pool.layout(spec), layoutDiagram(spec)])
    expect(inWorker.nodes).toEqual(here.nodes)
    expect(inWorker.groups).toEqual(here.groups)
    expect(inWorker.edges).toEqual(here.edges)
    expect([inWorker.width, inWorker.height]).toEqual([here.width, here.height])
  })

  it('leaves the event loop free while a 200-node layout runs', async () => {
    await pool.layout(syntheticDiagram(5)) // the worker is up
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    await pool.layout(syntheticDiagram(200))
    clearInterval(timer)
    // Laid out on this thread, no timer could fire until the layout was over.
    expect(ticks).toBeGreaterThan(3)
  })
})
