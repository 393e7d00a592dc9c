/**
 * Browser figure (issues 4 and 20): a stored 5,000-shape room opened in Debian's Chromium, side by
 * side with the anchor — bare tldraw opening the same records from a local JSON file
 * (`client/bench/bare.ts`), same Chromium, same machine, runs interleaved. Each run opens both in a
 * fresh context (cold: nothing cached, no IndexedDB) and then again in that context (warm: HTTP
 * cache and service worker; for us also the board's copy in IndexedDB). Times are in the page, from
 * the navigation's commit: first shape shown, every shape in tldraw's store, every shape mounted.
 * Medians over `BROWSER_RUNS` (default 3) runs, with the load average around each run; ours ÷ bare
 * is the median of each run's own ratio (the two sides open one after the other, at about the same
 * load — on a shared machine the load moves more between runs than within one).
 * Runs alone: `cd tests && node --import tsx bench/browserLoad.ts`.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildGeoShape, getIndices, openRecords, readRecords } from '@drawbridge/shared'
import { type Browser, chromium } from '@playwright/test'
import type * as Y from 'yjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/chromium'
import '../e2e/support/testHook'
import { connectSynced, createRoom, destroyAll, waitFor } from '../integration/support/clients'
import { createTestDatabase } from '../integration/support/databases'
import { readRecordCount } from './lib/browserRoom'
import { median, round, sleep } from './lib/measure'
import { type EditorHook, type OpenTimings, timeOpen } from './lib/pageLoad'
import type { Numbers } from './lib/report'
import { startOurs, TESTS_DIR } from './lib/servers'
import { serveDirectory } from './lib/staticFiles'

const SHAPES = 5_000
const RUNS = Number(process.env.BROWSER_RUNS ?? 3)
const CLIENT = join(TESTS_DIR, '../client')
/**
 * The cameras the two sides open at. `fit` (default): both fitted to the board — ours opens a board
 * it has no stored view of that way, and bare tldraw is fitted on mount. `origin`: both at bare
 * tldraw's own (0, 0, 100 %), ours through a stored view. `bare-default`: ours fitted, bare tldraw
 * at its own camera (the comparison of earlier sessions: far fewer of bare's shapes are painted).
 */
const VIEW = (process.env.BENCH_VIEW ?? 'fit') as 'fit' | 'origin' | 'bare-default'
const VITE = join(CLIENT, 'node_modules/vite/bin/vite.js')

/** A realistic large board: labelled boxes spread over a grid (most of them off screen). */
function fillGrid(doc: Y.Doc, count: number): void {
  const indices = getIndices(count)
  const records = openRecords(doc)
  doc.transact(() => {
    for (let i = 0; i < count; i++) {
      const shape = buildGeoShape({
        x: (i % 100) * 160,
        y: Math.floor(i / 100) * 110,
        w: 140,
        h: 80,
        text: `Step ${i}`,
        index: indices[i]!,
      })
      records.set(shape.id, shape)
    }
  })
}

function vite(args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync(process.execPath, [VITE, 'build', ...args], {
    cwd: CLIENT,
    stdio: 'ignore',
    env: { ...process.env, ...env },
  })
  if (result.status !== 0) throw new Error(`vite build ${args.join(' ')} failed`)
}

type Side = { name: 'ours' | 'bare'; url: string; hook: EditorHook; initScript?: string }

/** One side, cold then warm in the same context; the load average before and after. */
async function openTwice(browser: Browser, side: Side) {
  const before = loadavg()[0]!
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: process.env.BENCH_SW === 'block' ? 'block' : 'allow',
  })
  if (side.initScript) await context.addInitScript(side.initScript)
  const page = await context.newPage()
  const cold = await timeOpen(page, side.url, side.hook, SHAPES)
  // Let IndexedDB finish writing what the server sent (the next open should find it).
  await sleep(1_500)
  // BENCH_TRACE=<dir>: a Chromium performance trace of each side's warm open, to see where its time goes.
  const trace = process.env.BENCH_TRACE
  if (trace)
    await browser.startTracing(page, { path: join(trace, `${side.name}-warm.json`), screenshots: false })
  const warm = await timeOpen(page, side.url, side.hook, SHAPES)
  if (trace) await browser.stopTracing()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const heapMb = (metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024
  await context.close()
  return { cold, warm, heapMb, load: [before, loadavg()[0]!] }
}

const at = (timings: OpenTimings, mark: string) => timings.marks[mark]?.at ?? Number.NaN

export async function benchBrowserLoad(): Promise<Numbers> {
  vite([])
  const bareDir = mkdtempSync(join(tmpdir(), 'drawbridge-bare-'))
  vite(['--config', 'bench/vite.config.ts'], { BARE_OUT_DIR: bareDir })
  const database = await createTestDatabase('pglite')
  const server = await startOurs(database, { ROOM_IDLE_MS: '1000' })
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const files = await serveDirectory(bareDir)
  try {
    const room = await createRoom(server.url)
    const writer = await connectSynced(server.url, room.links.edit.id)
    fillGrid(writer.doc, SHAPES)
    const reader = await connectSynced(server.url, room.links.view.id)
    await waitFor(() => readRecordCount(reader.doc) === SHAPES + 2, 'the room holds every shape', 60_000)
    // The anchor opens exactly the records the room holds.
    writeFileSync(join(bareDir, 'records.json'), JSON.stringify([...readRecords(reader.doc).values()]))
    destroyAll([writer, reader])

    const sides: Side[] = [
      {
        name: 'ours',
        url: `${server.url}/r/${room.links.edit.id}`,
        hook: '__drawbridge',
        initScript:
          VIEW === 'origin'
            ? `localStorage.setItem('drawbridge:view:${room.roomId}', '{"pageId":"page:page","x":0,"y":0,"z":1}')`
            : undefined,
      },
      { name: 'bare', url: `${files.url}/index.html${VIEW === 'fit' ? '?view=fit' : ''}`, hook: '__bare' },
    ]
    console.log(`cameras: ${VIEW}`)
    const runs: Record<'ours' | 'bare', Awaited<ReturnType<typeof openTwice>>[]> = { ours: [], bare: [] }
    for (let run = 0; run < RUNS; run++) {
      for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
        const result = await openTwice(browser, side)
        runs[side.name].push(result)
        const { cold, warm } = result
        console.log(
          `run ${run + 1} ${side.name}: load ${result.load.map((l) => l.toFixed(1)).join('→')}; ` +
            `cold first/store/mounted/cpu ${cold.firstShapeMs}/${cold.allInStoreMs}/${cold.allMountedMs}/${cold.rendererCpuMs} ms, ` +
            `warm ${warm.firstShapeMs}/${warm.allInStoreMs}/${warm.allMountedMs}/${warm.rendererCpuMs} ms`,
        )
        if (side.name === 'ours') console.log('   warm marks', warm.marks)
      }
    }
    const med = (side: 'ours' | 'bare', pick: (r: (typeof runs)['ours'][number]) => number) =>
      round(median(runs[side].map(pick)))
    const numbers: Numbers = {
      shapes: SHAPES,
      runs: RUNS,
      loadAverageMin: round(Math.min(...Object.values(runs).flatMap((r) => r.flatMap((x) => x.load))), 1),
      loadAverageMax: round(Math.max(...Object.values(runs).flatMap((r) => r.flatMap((x) => x.load))), 1),
    }
    for (const visit of ['cold', 'warm'] as const) {
      for (const side of ['ours', 'bare'] as const) {
        numbers[`${side}${cap(visit)}FirstShapeMs`] = med(side, (r) => r[visit].firstShapeMs)
        numbers[`${side}${cap(visit)}AllInStoreMs`] = med(side, (r) => r[visit].allInStoreMs)
        numbers[`${side}${cap(visit)}AllMountedMs`] = med(side, (r) => r[visit].allMountedMs)
        numbers[`${side}${cap(visit)}RendererCpuMs`] = med(side, (r) => r[visit].rendererCpuMs)
      }
      // Ours ÷ bare within each run (opened one after the other, at about the same load), median.
      for (const metric of ['firstShapeMs', 'allInStoreMs', 'allMountedMs', 'rendererCpuMs'] as const) {
        const ratios = runs.ours.map((ours, run) => ours[visit][metric] / runs.bare[run]![visit][metric])
        numbers[`${visit}${cap(metric).replace('Ms', '')}OursOverBare`] = round(median(ratios), 2)
      }
    }
    // A returning visitor's board comes from IndexedDB, before the socket's first sync.
    const fromDevice = runs.ours.filter(
      (r) =>
        r.warm.marks['drawbridge:doc-ready']?.detail === 'device' &&
        !(at(r.warm, 'drawbridge:server-synced') < at(r.warm, 'drawbridge:doc-ready')),
    )
    numbers.warmFromDeviceRuns = fromDevice.length
    numbers.oursWarmDocReadyMs = med('ours', (r) => at(r.warm, 'drawbridge:doc-ready'))
    numbers.oursWarmServerSyncedMs = med('ours', (r) => at(r.warm, 'drawbridge:server-synced'))
    numbers.oursColdDocReadyMs = med('ours', (r) => at(r.cold, 'drawbridge:doc-ready'))
    numbers.oursJsHeapAfterLoadMb = round(median(runs.ours.map((r) => r.heapMb)), 1)
    numbers.bareJsHeapAfterLoadMb = round(median(runs.bare.map((r) => r.heapMb)), 1)
    return numbers
  } finally {
    await files.close()
    await browser.close()
    await server.stop()
    await database.drop()
    rmSync(bareDir, { recursive: true, force: true })
  }
}

const cap = (word: string) => word[0]!.toUpperCase() + word.slice(1)

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchBrowserLoad())
}
