/**
 * `pnpm bench`: the sync-core benchmarks in one run — fan-out latency against the reference server
 * and ours (persisting, Postgres and PGlite), persisted updates/s, cold load, memory per room and
 * back to baseline, doc size vs JSON, draw.io export/import of 5,000 shapes/cells, deflate bombs
 * refused by the import (time and memory), 8 parallel draw.io exports of a board with large images, the AI co-pilot
 * (jobs/s through the queue, first token → first/last shape of a streamed 30-node diagram) and ELK
 * layout of 200 nodes — then the browser benchmark (`browserLoad.ts`, if present, unless
 * `--no-browser`). Prints tables and targets, writes `bench-results/sync-<date>.json`.
 * `fanoutLight.*` is the fan-out at 10 rooms from the lean generator, where the clients are not saturated,
 * ours and the reference side by side.
 * `bigUpdate.*`: another room's round trip while one room takes a 7 MB update.
 * Flags: `--no-browser`, `--only=fanout,throughput,coldLoad,memory,docSize,drawio,bombs,exports,ai,layout,bigUpdate`,
 * `--quick` (10 s windows).
 */
import { existsSync } from 'node:fs'
import { benchAiQueue, benchAiStream, benchLayout } from './ai'
import { benchBigUpdate } from './bigUpdate'
import { benchBombs } from './bombs'
import { benchColdLoad } from './coldLoad'
import { benchDocSize } from './docSize'
import { benchDrawio } from './drawio'
import { benchExports } from './exports'
import {
  benchFanoutOurs,
  benchFanoutReference,
  FANOUT_DEFAULTS,
  type FanoutOptions,
  STEADY_STATE_WARMUP_MS,
} from './fanout/fanout'
import { benchFanoutSideBySide } from './fanout/sideBySide'
import { round, wallMs } from './lib/measure'
import {
  evaluateTargets,
  type Numbers,
  printTable,
  printTargets,
  type Results,
  writeResults,
} from './lib/report'
import { benchMemory } from './memory'
import { benchThroughput } from './throughput'

// 1,000 y-websocket providers each add a process 'exit' listener.
process.setMaxListeners(0)
const args = process.argv.slice(2)
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
const quick = args.includes('--quick')
const fanoutOptions = quick ? { ...FANOUT_DEFAULTS, warmupMs: 3_000, measureMs: 10_000 } : FANOUT_DEFAULTS
/**
 * A fifth of the load from the lean generator (raw pre-encoded clients, one process, plus its stock
 * witness room): the clients are far from saturated, so latency is the servers' own. Ours and the
 * reference run side by side (`fanout/sideBySide.ts`), three rounds each backend (one in `--quick`).
 */
const lightOptions: FanoutOptions = {
  ...FANOUT_DEFAULTS,
  rooms: 10,
  ...(quick
    ? { warmupMs: 3_000, measureMs: 10_000 }
    : { warmupMs: STEADY_STATE_WARMUP_MS, measureMs: 15_000 }),
  generator: 'lean',
  loadGenerators: 1,
}
const lightRounds = quick ? 1 : 3

const benchmarks: Array<[group: string, name: string, run: () => Promise<Numbers>]> = [
  ['fanout', 'fanout.reference', () => benchFanoutReference(fanoutOptions)],
  ['fanout', 'fanout.postgres', () => benchFanoutOurs('postgres', fanoutOptions)],
  ['fanout', 'fanout.pglite', () => benchFanoutOurs('pglite', fanoutOptions)],
  ['fanout', 'fanoutLight.postgres', () => benchFanoutSideBySide('postgres', lightOptions, lightRounds)],
  ['fanout', 'fanoutLight.pglite', () => benchFanoutSideBySide('pglite', lightOptions, lightRounds)],
  ['throughput', 'throughput.postgres', () => benchThroughput('postgres')],
  ['throughput', 'throughput.pglite', () => benchThroughput('pglite')],
  ['coldLoad', 'coldLoad.postgres', () => benchColdLoad('postgres')],
  ['coldLoad', 'coldLoad.pglite', () => benchColdLoad('pglite')],
  ['bigUpdate', 'bigUpdate.postgres', () => benchBigUpdate('postgres')],
  ['bigUpdate', 'bigUpdate.pglite', () => benchBigUpdate('pglite')],
  ['memory', 'memory', () => benchMemory('postgres')],
  ['docSize', 'docSize', () => benchDocSize()],
  ['drawio', 'drawio', () => benchDrawio()],
  ['bombs', 'bombs', () => benchBombs()],
  ['exports', 'exports', () => benchExports()],
  ['ai', 'ai.queue.2workers', () => benchAiQueue(2)],
  ['ai', 'ai.queue.8workers', () => benchAiQueue(8)],
  ['ai', 'ai.stream', () => benchAiStream()],
  ['layout', 'layout', () => benchLayout()],
]

async function runBrowser(results: Results): Promise<void> {
  const file = new URL('./browserLoad.ts', import.meta.url)
  if (args.includes('--no-browser') || (only && !only.includes('browser')) || !existsSync(file)) return
  // Imported by URL at run time so this runner works before browserLoad.ts exists.
  const module = (await import(file.href)) as { benchBrowserLoad?: () => Promise<Numbers> }
  if (!module.benchBrowserLoad) return
  results.browser = await module.benchBrowserLoad()
  printTable('browser', results.browser)
}

const started = wallMs()
const results: Results = {}
let failed = false
console.log(`Drawbridge sync bench — node ${process.version}, ${quick ? 'quick' : 'full'} run`)
for (const [group, name, run] of benchmarks) {
  if (only && !only.includes(group)) continue
  const t0 = wallMs()
  try {
    results[name] = await run()
    printTable(`${name} (${round((wallMs() - t0) / 1000, 1)} s)`, results[name])
  } catch (error) {
    failed = true
    console.error(`\n── ${name} FAILED:`, error)
  }
}
try {
  await runBrowser(results)
} catch (error) {
  failed = true
  console.error('\n── browser FAILED:', error)
}
const targets = evaluateTargets(results)
printTargets(targets)
const seconds = round((wallMs() - started) / 1000, 0)
const file = await writeResults(results, targets, seconds)
console.log(`\n${seconds} s; results in ${file}`)
process.exit(failed ? 1 : 0)
