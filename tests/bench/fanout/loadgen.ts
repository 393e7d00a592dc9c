/**
 * Load-generator child for the fan-out benchmark (started by `fanout/fanout.ts`, one of two): stock
 * y-websocket providers, `clientsPerRoom` per room, each moving its own tldraw shape once a second
 * with the send time in the record's `meta.t`; every receiving client records receive − send.
 * Reports the latencies of updates sent in the measurement window, its own CPU time and event-loop
 * delay (so the bench can tell whether the load generator was the bottleneck).
 *
 * Writes go through `writeRecords` (shared): the same update a YKeyValue `set` produces (old entry
 * deleted, new one appended). Reads take the new item straight from the transaction instead of a
 * YKeyValue observer, whose `event.changes` walks the whole array on every event: with 1,000
 * clients in two processes that alone would saturate this 2-core machine's load generators.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildGeoShape, encodeSeededRoom, getIndices, type TLShape, writeRecords } from '@drawbridge/shared'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { connect, destroyAll, synced, waitFor } from '../../integration/support/clients'
import { inBatches, sleep, wallMs } from '../lib/measure'
import type { LoadgenConfig, LoadgenReport, LoadgenStart } from './protocol'

interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  shape: TLShape
}

// Every y-websocket provider adds a process 'exit' listener.
process.setMaxListeners(0)
const config = JSON.parse(process.argv[2] ?? '{}') as LoadgenConfig
const providers: WebsocketProvider[] = []
const samples: number[] = []
let window = { from: Number.POSITIVE_INFINITY, to: Number.NEGATIVE_INFINITY }

function readSentAt(value: unknown): number | undefined {
  const t = (value as { val?: { meta?: { t?: unknown } } } | undefined)?.val?.meta?.t
  return typeof t === 'number' ? t : undefined
}

/** Records receive − send for every shape entry a remote transaction appended to `records`. */
function listen(doc: Y.Doc): void {
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    if (transaction.local) return
    const now = wallMs()
    transaction.afterState.forEach((after, client) => {
      let clock = transaction.beforeState.get(client) ?? 0
      while (clock < after) {
        const struct = Y.getItem(doc.store, Y.createID(client, clock))
        if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny && !struct.deleted) {
          for (const value of struct.content.arr) {
            const sentAt = readSentAt(value)
            if (sentAt !== undefined && sentAt >= window.from && sentAt < window.to)
              samples.push(now - sentAt)
          }
        }
        clock = struct.id.clock + struct.length
      }
    })
  })
}

const shapeCount = (doc: Y.Doc) =>
  doc
    .getArray<{ key: string }>('records')
    .toArray()
    .filter((entry) => entry.key.startsWith('shape:')).length

async function openRoom(room: string): Promise<Client[]> {
  const indices = getIndices(config.clientsPerRoom)
  const clients = Array.from({ length: config.clientsPerRoom }, (_, i): Client => {
    const doc = new Y.Doc()
    // The reference server does not seed rooms; give it the same starting content ours writes.
    if (config.seedRooms && i === 0) Y.applyUpdate(doc, encodeSeededRoom('bench'))
    const provider = connect(config.baseUrls[i % config.baseUrls.length]!, room, doc)
    providers.push(provider)
    const shape = buildGeoShape({ x: i * 120, y: 0, w: 100, h: 50, text: `client ${i}`, index: indices[i]! })
    return { doc, provider, shape }
  })
  await Promise.all(clients.map((client) => synced(client.provider)))
  for (const client of clients) writeRecords(client.doc, { put: [client.shape], remove: [] })
  await waitFor(
    () => clients.every((client) => shapeCount(client.doc) === config.clientsPerRoom),
    `all shapes in room ${room}`,
    60_000,
  )
  for (const client of clients) listen(client.doc)
  return clients
}

/** One drag step: the shape moved by 1 px, stamped with its send time. */
function move(client: Client): void {
  client.shape = { ...client.shape, x: client.shape.x + 1, meta: { t: wallMs() } }
  writeRecords(client.doc, { put: [client.shape], remove: [] })
}

async function run(start: LoadgenStart): Promise<LoadgenReport> {
  const measureFrom = start.startAt + start.warmupMs
  const measureTo = measureFrom + start.measureMs
  window = { from: measureFrom, to: measureTo }
  const end = measureTo
  let sent = 0
  const timers: NodeJS.Timeout[] = []
  for (const client of clients) {
    const phase = Math.max(0, start.startAt - wallMs()) + Math.random() * 1000
    timers.push(
      setTimeout(() => {
        const tick = () => {
          if (wallMs() >= end) return
          const before = wallMs()
          move(client)
          if (before >= measureFrom && before < measureTo) sent++
        }
        tick()
        timers.push(setInterval(tick, 1000))
      }, phase),
    )
  }
  await sleep(measureFrom - wallMs())
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  const cpuBefore = process.cpuUsage()
  await sleep(measureTo - wallMs())
  const cpu = process.cpuUsage(cpuBefore)
  loopDelay.disable()
  for (const timer of timers) clearTimeout(timer)
  await sleep(start.drainMs)
  return {
    type: 'done',
    samples: Buffer.from(new Float64Array(samples).buffer).toString('base64'),
    sent,
    cpuMs: (cpu.user + cpu.system) / 1000,
    windowMs: start.measureMs,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  }
}

const clients = (await inBatches(config.rooms, 5, openRoom)).flat()
process.send?.({ type: 'ready' })
process.once('message', (message: LoadgenStart) => {
  void run(message).then((report) => {
    process.send?.(report, () => {
      destroyAll(providers)
      process.exit(0)
    })
  })
})
