/**
 * `pnpm bench:load`: one run, one harness — the reference y-websocket server, one of our instances
 * (Postgres; PGlite) and two of ours behind Redis — under 1,000 clients in 50 rooms at 1 update/s and a broadcast storm
 * (one room, 200 editors); then 1,000 rooms opened and closed on one instance (memory back to
 * baseline). The load comes from the lean generator (raw pre-encoded clients, one process) with one
 * room of stock y-websocket clients as a correctness witness. Prints p50/p99 fan-out latency, server
 * CPU per delivered update (ours ÷ reference), RSS, and which side saturated. Writes
 * `bench-results/load-<date>.json`. Flags: `--quick` (8 s windows), `--stock` (stock clients only,
 * two processes: the old harness), `--only=rooms,storm,memory` (a subset of the three parts).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  benchFanoutOurs,
  benchFanoutReference,
  FANOUT_DEFAULTS,
  type FanoutOptions,
  STEADY_STATE_WARMUP_MS,
} from './fanout/fanout'
import { benchFanoutTwoInstances } from './fanout/scaleOut'
import { round, wallMs } from './lib/measure'
import { evaluateLoadTargets, type Numbers, printTable, printTargets } from './lib/report'
import { TESTS_DIR } from './lib/servers'
import { benchMemory } from './memory'

process.setMaxListeners(0)
const quick = process.argv.includes('--quick')
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const wanted = (part: 'rooms' | 'storm' | 'memory') => !only || only.includes(part)
const window = quick
  ? { warmupMs: 3_000, measureMs: 8_000 }
  : { warmupMs: STEADY_STATE_WARMUP_MS, measureMs: 15_000 }
const generator: Partial<FanoutOptions> = process.argv.includes('--stock')
  ? { generator: 'stock' }
  : { generator: 'lean', loadGenerators: 1 }
const loads: Array<[part: 'rooms' | 'storm', name: string, options: FanoutOptions]> = [
  ['rooms', '1000 clients / 50 rooms', { ...FANOUT_DEFAULTS, ...window, ...generator }],
  [
    'storm',
    'storm: 1 room / 200 clients',
    { ...FANOUT_DEFAULTS, ...window, rooms: 1, clientsPerRoom: 200, loadGenerators: 1, ...generator },
  ],
]
const servers = [
  ['reference', (options: FanoutOptions) => benchFanoutReference(options)],
  ['one instance', (options: FanoutOptions) => benchFanoutOurs('postgres', options)],
  ['one instance, PGlite', (options: FanoutOptions) => benchFanoutOurs('pglite', options)],
  ['two instances + Redis', (options: FanoutOptions) => benchFanoutTwoInstances(options)],
] as const

/** Which side ran out of CPU: the load generators (clients) or the server(s). */
function saturated(result: Numbers): string {
  if ((result.loadgenLoopDelayP99Ms ?? 0) > 100 || (result.loadgenCpuPct ?? 0) > 90) return 'load generators'
  if ((result.serverCpuPct ?? 0) > 90) return 'server'
  return 'neither'
}

const started = wallMs()
const results: Record<string, Numbers> = {}
console.log(`Drawbridge load bench — node ${process.version}${quick ? ', quick' : ''}`)
for (const [part, load, options] of loads) {
  if (!wanted(part)) continue
  for (const [server, run] of servers) {
    const name = `${load} · ${server}`
    try {
      const result = (await run(options)) as unknown as Numbers
      results[name] = result
      printTable(`${name} — saturated: ${saturated(result)}`, result)
    } catch (error) {
      console.error(`\n── ${name} FAILED:`, error)
      process.exitCode = 1
    }
  }
  const reference = results[`${load} · reference`]
  for (const server of ['one instance', 'one instance, PGlite', 'two instances + Redis']) {
    const ours = results[`${load} · ${server}`]
    if (!reference || !ours) continue
    const perDelivery = Math.max(1e-9, reference.serverCpuUsPerDelivery ?? 0)
    const cpu = (ours.serverCpuUsPerDelivery ?? 0) / perDelivery
    const withDatabase = (ours.withDatabaseCpuUsPerDelivery ?? 0) / perDelivery
    console.log(
      `${load} · ${server} vs reference: p50 ${round(ours.p50Ms! / reference.p50Ms!)}×, p99 ${round(ours.p99Ms! / reference.p99Ms!)}×, server CPU per delivered update ${round(cpu)}× (with its database ${round(withDatabase)}×)`,
    )
  }
}
if (wanted('memory'))
  try {
    results['1000 rooms opened and closed · one instance'] = await benchMemory('postgres')
    printTable(
      '1000 rooms opened and closed · one instance',
      results['1000 rooms opened and closed · one instance'],
    )
  } catch (error) {
    console.error('\n── memory FAILED:', error)
    process.exitCode = 1
  }
const targets = evaluateLoadTargets(results)
printTargets(targets)
const directory = join(TESTS_DIR, '..', 'bench-results')
await mkdir(directory, { recursive: true })
const file = join(directory, `load-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`)
await writeFile(
  file,
  JSON.stringify({ seconds: round((wallMs() - started) / 1000, 0), results, targets }, null, 2),
)
console.log(`\nwrote ${file} (${round((wallMs() - started) / 1000, 0)} s)`)
process.exit()
