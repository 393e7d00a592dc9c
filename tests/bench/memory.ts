/**
 * Memory per idle loaded room, and memory back to baseline: 1,000 rooms are created and given a few
 * shapes, unloaded, then opened again from the database by one idle client each (heap and RSS per
 * room); then every client leaves and, with `ROOM_IDLE_MS=500`, the rooms unload. Heaps are read
 * after a forced full GC (through the inspector, see lib/inspector.ts).
 */
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, createRoom, destroyAll, waitFor } from '../integration/support/clients'
import type { Backend } from '../integration/support/databases'
import { readMetric } from '../integration/support/metrics'
import { addRectangles } from '../integration/support/records'
import { collectGarbage, freePort } from './lib/inspector'
import { inBatches, processRssBytes, round, sleep } from './lib/measure'
import { type OurServer, withOurs } from './lib/servers'

const SHAPES_PER_ROOM = 5
const MB = 2 ** 20

async function snapshot(server: OurServer, inspectorPort: number) {
  await collectGarbage(inspectorPort)
  return {
    heap: await readMetric(server.url, 'drawbridge_process_nodejs_heap_size_used_bytes'),
    rss: processRssBytes(server.pid),
  }
}

const roomsLoaded = (server: OurServer) => readMetric(server.url, 'drawbridge_rooms_loaded')

export async function benchMemory(backend: Backend, roomCount = 1_000) {
  const inspectorPort = await freePort()
  const env = { ROOM_IDLE_MS: '500', NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}` }
  return withOurs(backend, env, async (server) => {
    const fresh = await snapshot(server, inspectorPort)
    const links = await inBatches(
      Array.from({ length: roomCount }, (_, i) => i),
      20,
      async (i) => (await createRoom(server.url, `memory ${i}`)).links.edit.id,
    )
    await inBatches(links, 50, async (link) => {
      const provider = await connectSynced(server.url, link)
      addRectangles(provider.doc, SHAPES_PER_ROOM)
      await sleep(50)
      destroyAll([provider])
    })
    await waitFor(async () => (await roomsLoaded(server)) === 0, 'rooms unloaded after seeding', 60_000)
    const warm = await snapshot(server, inspectorPort)

    const providers: WebsocketProvider[] = await inBatches(links, 50, (link) =>
      connectSynced(server.url, link),
    )
    await waitFor(async () => (await roomsLoaded(server)) === roomCount, `${roomCount} rooms loaded`, 60_000)
    await sleep(1_000)
    const loaded = await snapshot(server, inspectorPort)

    destroyAll(providers)
    const closeStart = Date.now()
    await waitFor(async () => (await roomsLoaded(server)) === 0, 'rooms unloaded', 60_000)
    const unloadSeconds = (Date.now() - closeStart) / 1000
    await sleep(3_000)
    const after = await snapshot(server, inspectorPort)
    return {
      rooms: roomCount,
      freshHeapMB: round(fresh.heap / MB, 1),
      baselineHeapMB: round(warm.heap / MB, 1),
      loadedHeapMB: round(loaded.heap / MB, 1),
      afterHeapMB: round(after.heap / MB, 1),
      heapPerRoomKB: round((loaded.heap - warm.heap) / 1024 / roomCount, 1),
      baselineRssMB: round(warm.rss / MB, 1),
      loadedRssMB: round(loaded.rss / MB, 1),
      afterRssMB: round(after.rss / MB, 1),
      rssPerRoomKB: round((loaded.rss - warm.rss) / 1024 / roomCount, 1),
      heapAfterVsBaselinePct: round((after.heap / warm.heap) * 100, 1),
      unloadSeconds: round(unloadSeconds, 1),
    }
  })
}
