import { getIndices } from '@drawbridge/shared'
import { waitFor } from '../../integration/support/clients'
import { inBatches, wallMs } from '../lib/measure'
import { emptySyncStep1, encodeClientFrames, readStamps, type StampedFrame, stamp } from './leanFrames'
import { NO_WINDOW, runLoadWindow, type Window } from './loadWindow'
import type { LoadgenConfig, LoadgenReport, LoadgenStart } from './protocol'
import { RawSocket, wireFrame } from './rawSocket'

interface LeanClient {
  socket: RawSocket
  /** Complete WebSocket frames (`wireFrame`), stamped in place and written as they are. */
  frames: StampedFrame[]
  next: number
  /** Stamp markers received so far (other clients' shapes and moves). */
  seen: number
  /** Send times of this client's recent frames: the reference server echoes them back; not samples. */
  ownStamps: number[]
}

const config = JSON.parse(process.argv[2] ?? '{}') as LoadgenConfig
const moves = config.sendsPerClient ?? 60
const samples: number[] = []
let window: Window = NO_WINDOW

const OWN_STAMPS_KEPT = 4

async function open(url: string, client: Omit<LeanClient, 'socket' | 'ownStamps'>): Promise<LeanClient> {
  const socket = await RawSocket.connect(url)
  const lean: LeanClient = { ...client, socket, ownStamps: [] }
  socket.onMessage = (data) => {
    const now = wallMs()
    readStamps(data, (sentAt) => {
      if (sentAt !== 0 && lean.ownStamps.includes(sentAt)) return
      lean.seen++
      if (sentAt >= window.from && sentAt < window.to) samples.push(now - sentAt)
    })
  }
  socket.send(emptySyncStep1())
  const first = lean.frames[lean.next++]!
  stamp(first, 0)
  socket.sendWire(first.bytes)
  return lean
}

/** A frame of `encodeClientFrames` as a whole WebSocket frame, its stamp where it now sits. */
function onTheWire(frame: StampedFrame): StampedFrame {
  const { bytes, offset } = wireFrame(frame.bytes)
  return { bytes, stampAt: frame.stampAt + offset }
}

async function openRoom(room: string): Promise<LeanClient[]> {
  const indices = getIndices(config.clientsPerRoom)
  const clients: LeanClient[] = []
  for (let i = 0; i < config.clientsPerRoom; i++) {
    const base = config.baseUrls[i % config.baseUrls.length]!.replace(/^http/, 'ws')
    const frames = encodeClientFrames(i, indices[i]!, moves).map(onTheWire)
    clients.push(await open(`${base}/yjs/${room}`, { frames, next: 0, seen: 0 }))
  }
  await waitFor(
    () => clients.every((client) => client.seen >= config.clientsPerRoom - 1),
    `every client of room ${room} sees the others`,
    60_000,
  )
  return clients
}

function send(client: LeanClient): boolean {
  const frame = client.frames[client.next]
  if (!frame || !client.socket.isOpen) return false
  client.next++
  client.ownStamps.push(stamp(frame, wallMs()))
  if (client.ownStamps.length > OWN_STAMPS_KEPT) client.ownStamps.shift()
  client.socket.sendWire(frame.bytes)
  return true
}

function run(start: LoadgenStart): Promise<LoadgenReport> {
  return runLoadWindow(
    start,
    clients.length,
    (i) => send(clients[i]!),
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
      for (const client of clients) client.socket.close()
      process.exit(0)
    })
  })
})
