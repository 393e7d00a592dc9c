/**
 * Lean load-generator child for the fan-out benchmark (started by `fanout/fanout.ts`): raw `ws`
 * clients that speak just enough y-websocket to be peers — sync step 1 on open, then pre-encoded
 * update frames (`leanFrames.ts`) — so that 1,000 clients cost the generator a fraction of a core and
 * the figures measure the server. Every receiver reads the send stamps out of the frames it gets
 * (receive − send), without decoding Yjs. Same IPC protocol as the stock generator (`loadgen.ts`).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { getIndices } from '@drawbridge/shared'
import WebSocket from 'ws'
import { waitFor } from '../../integration/support/clients'
import { inBatches, sleep, wallMs } from '../lib/measure'
import { emptySyncStep1, encodeClientFrames, readStamps, type StampedFrame, stamp } from './leanFrames'
import type { LoadgenConfig, LoadgenReport, LoadgenStart } from './protocol'

interface LeanClient {
  socket: WebSocket
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
let window = { from: Number.POSITIVE_INFINITY, to: Number.NEGATIVE_INFINITY }

const OWN_STAMPS_KEPT = 4

function open(url: string, client: Omit<LeanClient, 'socket' | 'ownStamps'>): Promise<LeanClient> {
  const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true })
  const lean: LeanClient = { ...client, socket, ownStamps: [] }
  socket.binaryType = 'nodebuffer'
  socket.on('message', (data: Buffer) => {
    const now = wallMs()
    readStamps(data, (sentAt) => {
      if (sentAt !== 0 && lean.ownStamps.includes(sentAt)) return
      lean.seen++
      if (sentAt >= window.from && sentAt < window.to) samples.push(now - sentAt)
    })
  })
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      socket.send(emptySyncStep1())
      const first = lean.frames[lean.next++]!
      stamp(first, 0)
      socket.send(first.bytes)
      resolve(lean)
    })
    socket.once('error', reject)
  })
}

async function openRoom(room: string): Promise<LeanClient[]> {
  const indices = getIndices(config.clientsPerRoom)
  const clients: LeanClient[] = []
  for (let i = 0; i < config.clientsPerRoom; i++) {
    const base = config.baseUrls[i % config.baseUrls.length]!.replace(/^http/, 'ws')
    const frames = encodeClientFrames(i, indices[i]!, moves)
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
  if (!frame || client.socket.readyState !== WebSocket.OPEN) return false
  client.next++
  client.ownStamps.push(stamp(frame, wallMs()))
  if (client.ownStamps.length > OWN_STAMPS_KEPT) client.ownStamps.shift()
  client.socket.send(frame.bytes)
  return true
}

async function run(start: LoadgenStart): Promise<LoadgenReport> {
  const measureFrom = start.startAt + start.warmupMs
  const measureTo = measureFrom + start.measureMs
  window = { from: measureFrom, to: measureTo }
  let sent = 0
  const timers: NodeJS.Timeout[] = []
  for (const client of clients) {
    const phase = Math.max(0, start.startAt - wallMs()) + Math.random() * 1000
    timers.push(
      setTimeout(() => {
        const tick = () => {
          const before = wallMs()
          if (before >= measureTo) return
          if (send(client) && before >= measureFrom) sent++
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
      for (const client of clients) client.socket.terminate()
      process.exit(0)
    })
  })
})
