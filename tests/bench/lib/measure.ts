/**
 * Measuring helpers shared by the benchmarks: a wall clock comparable across processes, percentiles,
 * CPU time and RSS of another process read from `/proc/<pid>` (Linux), and small async utilities.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Milliseconds since the epoch with sub-millisecond resolution; comparable between processes on one host. */
export const wallMs = (): number => performance.timeOrigin + performance.now()

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The `q`-quantile (0..1) of ascending-sorted values, nearest-rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

export function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  )
}

const CLOCK_TICKS_PER_SECOND = 100

/** The fields of `/proc/<pid>/stat` after the parenthesised command name (field 3 onwards, 1-based). */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** CPU time (user + system) a process has used so far, in ms. */
export function processCpuMs(pid: number): number {
  // utime and stime are fields 14 and 15 (1-based).
  const fields = statFields(pid)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
}

/** CPU time (ms) used so far by every running process that `matches` (given its pid). */
function cpuMsOfProcesses(matches: (pid: string) => boolean): number {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (matches(entry)) total += processCpuMs(Number(entry))
    } catch {
      // The process exited while we looked.
    }
  }
  return total
}

/** CPU time (ms) used so far by every process whose command name is `name` (e.g. the `postgres` backends). */
export function processesCpuMs(name: string): number {
  return cpuMsOfProcesses((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name)
}

/** CPU time (ms) used so far by the direct children of `pid` (e.g. our server's PGlite host). */
export function childrenCpuMs(pid: number): number {
  // ppid is field 4 (1-based).
  return cpuMsOfProcesses((child) => Number(statFields(child)[1]) === pid)
}

/** CPU time (ms, all cores) the whole machine has spent busy so far, from /proc/stat. */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
  const busy = fields.slice(0, 8).reduce((sum, ticks, i) => (i === 3 || i === 4 ? sum : sum + ticks), 0)
  return (busy * 1000) / CLOCK_TICKS_PER_SECOND
}

/** Resident set size of a process, in bytes. */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = status.match(/^VmRSS:\s+(\d+) kB$/m)
  if (!match) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(match[1]) * 1024
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
