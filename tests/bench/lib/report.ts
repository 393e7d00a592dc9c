/**
 * Presentation of bench results: one table per benchmark, the targets with PASS/MISS, and the JSON
 * file under `bench-results/`. Knows the result names; measures nothing.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

export type Numbers = Record<string, number>
export type Results = Record<string, Numbers>

export interface Target {
  name: string
  value: number
  limit: number
  /** `max`: value must be ≤ limit; `min`: ≥ limit. */
  kind: 'max' | 'min'
  unit: string
  pass: boolean
}

export function printTable(name: string, numbers: Numbers): void {
  const width = Math.max(...Object.keys(numbers).map((key) => key.length))
  console.log(`\n── ${name}`)
  for (const [key, value] of Object.entries(numbers)) console.log(`   ${key.padEnd(width)}  ${value}`)
}

export function target(
  name: string,
  value: number | undefined,
  kind: 'max' | 'min',
  limit: number,
  unit: string,
) {
  if (value === undefined || Number.isNaN(value)) return undefined
  const pass = kind === 'max' ? value <= limit : value >= limit
  return { name, value, limit, kind, unit, pass }
}

export const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : Math.round((a / b) * 100) / 100

/** Above this much CPU used by other processes during a fan-out window, its latencies mean little. */
const BUSY_MACHINE_PCT = 25

export function evaluateTargets(results: Results): Target[] {
  const targets: Array<Target | undefined> = []
  const heavy = results['fanout.reference']
  for (const backend of ['postgres', 'pglite']) {
    const ours = results[`fanout.${backend}`]
    for (const p of ['p50Ms', 'p99Ms'] as const) {
      const other = Math.max(ours?.otherCpuPct ?? 0, heavy?.otherCpuPct ?? 0)
      const busy = other > BUSY_MACHINE_PCT ? ` [NOT COMPARABLE: other processes used ${other}% CPU]` : ''
      const name = `fan-out ${p.slice(0, 3)} 50 rooms × 20, ours (${backend}) / reference${busy}`
      targets.push(target(name, ratio(ours?.[p], heavy?.[p]), 'max', 1, '×'))
    }
    targets.push(
      target(
        `server CPU per delivered update 50 rooms × 20, ours (${backend}, persisting) / reference`,
        ratio(ours?.serverCpuUsPerDelivery, heavy?.serverCpuUsPerDelivery),
        'max',
        1,
        '×',
      ),
    )
  }
  // Light load runs ours and the reference side by side (`fanout/sideBySide.ts`): the ratios are its own.
  for (const backend of ['postgres', 'pglite']) {
    const light = results[`fanoutLight.${backend}`]
    const label = `10 rooms × 20, side by side, median of ${light?.rounds ?? 0} rounds`
    targets.push(
      target(`fan-out p50 ${label}, ours (${backend}) / reference`, light?.p50Ratio, 'max', 1, '×'),
      target(`fan-out p99 ${label}, ours (${backend}) / reference`, light?.p99Ratio, 'max', 1, '×'),
      target(
        `server CPU per delivered update ${label}, ours (${backend}, persisting) / reference`,
        light?.cpuRatio,
        'max',
        1,
        '×',
      ),
    )
  }
  for (const backend of ['postgres', 'pglite']) {
    targets.push(
      target(
        `persisted updates/s into one room (${backend})`,
        results[`throughput.${backend}`]?.persistedPerSecond,
        'min',
        backend === 'postgres' ? 10_000 : 1000,
        '/s',
      ),
      target(
        `another room's round trip while one room takes a 7 MB update, slowest (${backend})`,
        results[`bigUpdate.${backend}`]?.roundTripMaxMs,
        'max',
        250,
        'ms',
      ),
      target(
        `cold load of a 5,000-shape room, median (${backend})`,
        results[`coldLoad.${backend}`]?.connectToSyncedMedianMs,
        'max',
        300,
        'ms',
      ),
    )
  }
  targets.push(
    target('doc bytes / JSON of records after 20 moves', results.docSize?.stateVsJson, 'max', 1.3, '×'),
    target(
      'heap after 1,000 rooms closed / baseline',
      results.memory?.heapAfterVsBaselinePct,
      'max',
      110,
      '%',
    ),
    target(
      'draw.io export of a 5,000-shape board (+1,000 arrows), median',
      results.drawio?.exportMedianMs,
      'max',
      200,
      'ms',
    ),
    target('draw.io import of a 5,000-cell file, median', results.drawio?.importMedianMs, 'max', 200, 'ms'),
    target(
      '4 MB .drawio inflating to 3 GiB: refused after',
      results.bombs?.drawio3GiBRefusedMs,
      'max',
      1000,
      'ms',
    ),
    target(
      '4 MB .drawio inflating to 3 GiB: memory added',
      results.bombs?.drawio3GiBExtraMiB,
      'max',
      100,
      ' MiB',
    ),
    target(
      'browser, 5,000 shapes: navigation → first shape shown, returning visitor (median)',
      results.browser?.oursWarmFirstShapeMs,
      'max',
      2000,
      'ms',
    ),
    target(
      'browser, 5,000 shapes: every shape in the store, ours / bare tldraw, first visit',
      results.browser?.coldAllInStoreOursOverBare,
      'max',
      1,
      '×',
    ),
    target(
      'browser, 5,000 shapes: every shape in the store, ours / bare tldraw, returning visitor',
      results.browser?.warmAllInStoreOursOverBare,
      'max',
      1,
      '×',
    ),
    target(
      'browser: returning visits shown from IndexedDB before the socket synced (of every run)',
      results.browser ? (results.browser.warmFromDeviceRuns ?? 0) / (results.browser.runs ?? 1) : undefined,
      'min',
      1,
      '',
    ),
    target(
      "AI: first shape seen by a viewer after the model's first token, 30-node stream, slowest run",
      results['ai.stream']?.firstTokenToFirstShapeMaxMs,
      'max',
      2000,
      'ms',
    ),
  )
  return targets.filter((t): t is Target => t !== undefined)
}

/** `pnpm bench:load`'s targets: latency under load on one and two instances, and CPU per delivery. */
export function evaluateLoadTargets(results: Results): Target[] {
  const targets: Array<Target | undefined> = []
  for (const [load, p99Limit] of [
    ['1000 clients / 50 rooms', 100],
    ['storm: 1 room / 200 clients', 250],
  ] as const) {
    const reference = results[`${load} · reference`]
    for (const server of ['one instance', 'one instance, PGlite', 'two instances + Redis']) {
      const ours = results[`${load} · ${server}`]
      targets.push(target(`${load}, p99 · ${server}`, ours?.p99Ms, 'max', p99Limit, ' ms'))
      // Two instances both apply every update (and relay it through Redis): not the same work.
      if (server === 'two instances + Redis') continue
      targets.push(
        target(
          `${load}, server CPU per delivered update · ${server} / reference`,
          ratio(ours?.serverCpuUsPerDelivery, reference?.serverCpuUsPerDelivery),
          'max',
          1,
          '×',
        ),
      )
    }
  }
  return targets.filter((t): t is Target => t !== undefined)
}

export function printTargets(targets: Target[]): void {
  console.log('\n── targets')
  for (const t of targets) {
    const sign = t.kind === 'max' ? '≤' : '≥'
    console.log(
      `   ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.value}${t.unit} (target ${sign} ${t.limit}${t.unit})`,
    )
  }
}

export async function writeResults(results: Results, targets: Target[], seconds: number): Promise<string> {
  const dir = fileURLToPath(new URL('../../../bench-results/', import.meta.url))
  await mkdir(dir, { recursive: true })
  const stamp = new Date()
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')
  const file = `${dir}sync-${stamp}.json`
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30) }
  const body = { at: new Date().toISOString(), node: process.version, machine, seconds, results, targets }
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`)
  return file
}
