/**
 * One clock for every room's write window: a window ends on the same boundary for every room with
 * the same window length (multiples of it on this process's clock), so the rooms' batches are cut in
 * one turn and reach the database together (the document log writes one turn's appends as one
 * statement). A batch still waits at most one window. Owns: one timer per window length while any
 * room waits on it. Must not touch: what the rooms write.
 */
import { performance } from 'node:perf_hooks'

interface Tick {
  timer: NodeJS.Timeout
  waiting: Set<() => void>
}

const ticks = new Map<number, Tick>()
/** The boundary each window length last ended at. */
const lastBoundary = new Map<number, number>()

function endWindow(windowMs: number, boundary: number): void {
  const tick = ticks.get(windowMs)
  if (!tick) return
  ticks.delete(windowMs)
  lastBoundary.set(windowMs, boundary)
  for (const callback of tick.waiting) callback()
}

/**
 * The next boundary after now. A timer may fire up to a millisecond before its boundary on this
 * clock: a window started in that callback still ends on the boundary after, not a moment later.
 */
function nextBoundary(windowMs: number, now: number): number {
  const boundary = Math.ceil(now / windowMs) * windowMs
  return boundary <= (lastBoundary.get(windowMs) ?? Number.NEGATIVE_INFINITY) ? boundary + windowMs : boundary
}

/**
 * Calls `callback` when the current window of `windowMs` ends; returns a function that cancels it.
 * Windows of 0 ms end on the next timer turn.
 */
export function atWindowEnd(windowMs: number, callback: () => void): () => void {
  let tick = ticks.get(windowMs)
  if (!tick) {
    const now = performance.now()
    const boundary = windowMs > 0 ? nextBoundary(windowMs, now) : now
    tick = { timer: setTimeout(() => endWindow(windowMs, boundary), boundary - now), waiting: new Set() }
    ticks.set(windowMs, tick)
  }
  const waiting = tick.waiting
  waiting.add(callback)
  return () => {
    waiting.delete(callback)
    if (waiting.size > 0 || ticks.get(windowMs)?.waiting !== waiting) return
    clearTimeout(ticks.get(windowMs)!.timer)
    ticks.delete(windowMs)
  }
}
