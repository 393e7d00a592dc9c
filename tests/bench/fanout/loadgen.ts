import { buildGeoShape, encodeSeededRoom, getIndices, type TLShape, writeRecords } from '@drawbridge/shared'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { connect, destroyAll, synced, waitFor } from '../../integration/support/clients'
import { inBatches, wallMs } from '../lib/measure'
import { NO_WINDOW, runLoadWindow, type Window } from './loadWindow'
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
let window: Window = NO_WINDOW

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

function run(start: LoadgenStart): Promise<LoadgenReport> {
  return runLoadWindow(
    start,
    clients.length,
    (i) => {
      move(clients[i]!)
      return true
    },
    (bounds) => {
      window = bounds
    },
    () => samples,
  )
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
