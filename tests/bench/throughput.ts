/**
 * Persisted updates/s into one room: a few stock y-websocket clients send `total` shape moves (the
 * same update a tldraw drag produces) as fast as they can; rate = updates persisted, per
 * `drawbridge_updates_persisted_total` on /metrics, per second from the first send until all are in
 * the database. Also reports how fast the server took them in (`drawbridge_updates_in_total`).
 */
import { buildGeoShape, type TLShape, writeRecords } from '@drawbridge/shared'
import { connectSynced, createRoom, destroyAll, waitFor } from '../integration/support/clients'
import type { Backend } from '../integration/support/databases'
import { readMetric } from '../integration/support/metrics'
import { round, wallMs } from './lib/measure'
import { withOurs } from './lib/servers'

/**
 * One writer, like y/hub's single-writer figure. Several writers moving shapes in one room interleave
 * their array entries, so each writer's own Y.Array walk (`writeRecords`/YKeyValue) grows with every
 * tombstone and the *client* becomes the bottleneck long before the server does.
 */
const CLIENTS = 1
/** This measures the persistence pipeline, not the abuse limits (300 frames/s per connection by default). */
const UNLIMITED = { MESSAGES_PER_SECOND: '1000000', BYTES_PER_SECOND: '1000000000' }
/** Updates each client sends before yielding to the event loop (lets the socket drain). */
const YIELD_EVERY = 200

export function benchThroughput(backend: Backend, total = 20_000) {
  return withOurs(backend, UNLIMITED, async (server) => {
    const room = await createRoom(server.url, 'throughput')
    const providers = await Promise.all(
      Array.from({ length: CLIENTS }, () => connectSynced(server.url, room.links.edit.id)),
    )
    const persistedBefore = await readMetric(server.url, 'drawbridge_updates_persisted_total')
    const inBefore = await readMetric(server.url, 'drawbridge_updates_in_total')
    const perClient = Math.ceil(total / CLIENTS)
    const start = wallMs()
    let sendDone = 0
    await Promise.all(
      providers.map(async (provider, c) => {
        let shape: TLShape = buildGeoShape({
          x: 0,
          y: c * 60,
          w: 100,
          h: 50,
          text: `writer ${c}`,
          index: 'a1' as TLShape['index'],
        })
        for (let i = 0; i < perClient; i++) {
          shape = { ...shape, x: shape.x + 1 }
          writeRecords(provider.doc, { put: [shape], remove: [] })
          if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve))
        }
        sendDone = Math.max(sendDone, wallMs())
      }),
    )
    const sent = perClient * CLIENTS
    let inDone = 0
    await waitFor(
      async () => {
        const [persisted, received] = await Promise.all([
          readMetric(server.url, 'drawbridge_updates_persisted_total'),
          readMetric(server.url, 'drawbridge_updates_in_total'),
        ])
        if (!inDone && received - inBefore >= sent) inDone = wallMs()
        return persisted - persistedBefore >= sent
      },
      `${sent} updates persisted`,
      120_000,
    )
    const end = wallMs()
    destroyAll(providers)
    return {
      updates: sent,
      persistedPerSecond: round(sent / ((end - start) / 1000), 0),
      receivedPerSecond: round(sent / (((inDone || end) - start) / 1000), 0),
      sendSeconds: round((sendDone - start) / 1000, 2),
      totalSeconds: round((end - start) / 1000, 2),
    }
  })
}
