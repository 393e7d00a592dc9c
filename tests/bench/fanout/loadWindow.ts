/**
 * The measurement window both load generators run (`loadgen.ts`, `leanLoadgen.ts`): every client
 * sends once a second from a random phase, sends are counted inside the window, and the generator's
 * own CPU time and event-loop delay are taken over it, so the bench can tell when the clients, not
 * the server, were the bottleneck. Latency samples are the caller's (it owns what it receives).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { sleep, wallMs } from '../lib/measure'
import type { LoadgenReport, LoadgenStart } from './protocol'

export interface Window {
  from: number
  to: number
}

/** No window yet: nothing received before the start counts. */
export const NO_WINDOW: Window = { from: Number.POSITIVE_INFINITY, to: Number.NEGATIVE_INFINITY }

/**
 * Runs the window: `send(i)` sends client i's next update (false when it could not); `onWindow`
 * hears the window's bounds before the first send, so receivers can filter their samples.
 */
export async function runLoadWindow(
  start: LoadgenStart,
  clientCount: number,
  send: (client: number) => boolean,
  onWindow: (window: Window) => void,
  samples: () => number[],
): Promise<LoadgenReport> {
  const measureFrom = start.startAt + start.warmupMs
  const measureTo = measureFrom + start.measureMs
  onWindow({ from: measureFrom, to: measureTo })
  let sent = 0
  const timers: NodeJS.Timeout[] = []
  for (let client = 0; client < clientCount; client++) {
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
    samples: Buffer.from(new Float64Array(samples()).buffer).toString('base64'),
    sent,
    cpuMs: (cpu.user + cpu.system) / 1000,
    windowMs: start.measureMs,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  }
}
