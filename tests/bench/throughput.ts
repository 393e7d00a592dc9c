/**
 * Persisted updates/s into one room: one writer sends `total` shape moves (the same update a tldraw
 * drag produces) as fast as the socket takes them; rate = updates persisted, per
 * `drawbridge_updates_persisted_total` on /metrics, per second from the first send until all are in
 * the database. Also reports how fast the server took them in (`drawbridge_updates_in_total`) and
 * how many rows that cost (rows/s must not grow with the rate: a burst shares one row per window).
 * The writer is a raw socket sending pre-encoded frames (`fanout/leanFrames.ts`): a stock client
 * encoding 20,000 moves itself is the bottleneck long before the server is.
 */
import { getIndices } from '@drawbridge/shared'
import WebSocket from 'ws'
import { createRoom, waitFor } from '../integration/support/clients'
import type { Backend } from '../integration/support/databases'
import { readMetric } from '../integration/support/metrics'
import { emptySyncStep1, encodeClientFrames, stamp } from './fanout/leanFrames'
import { round, wallMs } from './lib/measure'
import { withOurs } from './lib/servers'

/** This measures the persistence pipeline, not the abuse limits (300 frames/s per connection by default). */
const UNLIMITED = { MESSAGES_PER_SECOND: '1000000', BYTES_PER_SECOND: '1000000000' }
/** Rows written: one `doc_updates` INSERT per persisted batch (the write timer's sample count). */
const ROWS_WRITTEN = 'drawbridge_persist_seconds_count'
/** Bytes the writer lets queue in its socket before waiting for it to drain. */
const HIGH_WATER_BYTES = 1 << 20

async function openWriter(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  socket.send(emptySyncStep1())
  return socket
}

async function drained(socket: WebSocket): Promise<void> {
  while (socket.bufferedAmount > HIGH_WATER_BYTES) await new Promise((resolve) => setTimeout(resolve, 1))
}

export function benchThroughput(backend: Backend, total = 20_000) {
  return withOurs(backend, UNLIMITED, async (server) => {
    const room = await createRoom(server.url, 'throughput')
    const frames = encodeClientFrames(0, getIndices(1)[0]!, total)
    const socket = await openWriter(`${server.url.replace(/^http/, 'ws')}/yjs/${room.links.edit.id}`)
    const rowsBefore = await readMetric(server.url, ROWS_WRITTEN)
    const persistedBefore = await readMetric(server.url, 'drawbridge_updates_persisted_total')
    const inBefore = await readMetric(server.url, 'drawbridge_updates_in_total')
    const start = wallMs()
    // The first frame puts the shape; the rest move it.
    for (const frame of frames) {
      stamp(frame, wallMs())
      socket.send(frame.bytes)
      await drained(socket)
    }
    const sendDone = wallMs()
    const sent = frames.length
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
    const rowsAfter = await readMetric(server.url, ROWS_WRITTEN)
    socket.terminate()
    const seconds = (end - start) / 1000
    return {
      updates: sent,
      persistedPerSecond: round(sent / seconds, 0),
      receivedPerSecond: round(sent / (((inDone || end) - start) / 1000), 0),
      rowsPerSecond: round((rowsAfter - rowsBefore) / seconds, 1),
      sendSeconds: round((sendDone - start) / 1000, 2),
      totalSeconds: round(seconds, 2),
    }
  })
}
