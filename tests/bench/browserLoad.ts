/**
 * Browser figure (issue 4): a stored 5,000-shape room opened in Debian's Chromium — time from
 * navigation to every shape in tldraw's store, to the first shape painted, and the JS heap after
 * load. Median of a few cold contexts (no IndexedDB, so everything comes from the server).
 * Runs alone: `node --import tsx tests/bench/browserLoad.ts`.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { buildGeoShape, getIndices, openRecords } from '@drawbridge/shared'
import { chromium } from '@playwright/test'
import type * as Y from 'yjs'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/chromium'
import '../e2e/support/testHook'
import { connectSynced, createRoom, destroyAll, waitFor } from '../integration/support/clients'
import { createTestDatabase } from '../integration/support/databases'
import { readRecordCount } from './lib/browserRoom'
import { median, round } from './lib/measure'
import type { Numbers } from './lib/report'
import { startOurs, TESTS_DIR } from './lib/servers'

const SHAPES = 5_000
const RUNS = 3

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

function buildClient(): void {
  const client = join(TESTS_DIR, '../client')
  const result = spawnSync(process.execPath, [join(client, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: client,
    stdio: 'ignore',
  })
  if (result.status !== 0) throw new Error('client build failed')
}

export async function benchBrowserLoad(): Promise<Numbers> {
  buildClient()
  const database = await createTestDatabase('pglite')
  const server = await startOurs(database, { ROOM_IDLE_MS: '1000' })
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  })
  try {
    const room = await createRoom(server.url)
    const writer = await connectSynced(server.url, room.links.edit.id)
    fillGrid(writer.doc, SHAPES)
    const reader = await connectSynced(server.url, room.links.view.id)
    await waitFor(() => readRecordCount(reader.doc) === SHAPES + 2, 'the room holds every shape', 60_000)
    destroyAll([writer, reader])

    const storeMs: number[] = []
    const paintMs: number[] = []
    const heapMb: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      const started = Date.now()
      await page.goto(`${server.url}/r/${room.links.edit.id}`)
      await page.waitForFunction(() => document.querySelector('.tl-shape') !== null, undefined, {
        timeout: 60_000,
        polling: 'raf',
      })
      paintMs.push(Date.now() - started)
      await page.waitForFunction(
        (count) => window.__drawbridge?.editor.getCurrentPageShapes().length === count,
        SHAPES,
        { timeout: 60_000, polling: 50 },
      )
      storeMs.push(Date.now() - started)
      const marks = await page.evaluate(() =>
        Object.fromEntries(
          performance.getEntriesByType('mark').map((mark) => [mark.name, Math.round(mark.startTime)]),
        ),
      )
      console.log(`run ${run + 1}: marks since navigation start`, marks)
      const cdp = await context.newCDPSession(page)
      await cdp.send('Performance.enable')
      await cdp.send('HeapProfiler.collectGarbage')
      const { metrics } = await cdp.send('Performance.getMetrics')
      heapMb.push((metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024)
      await context.close()
    }
    return {
      shapes: SHAPES,
      runs: RUNS,
      navigationToAllShapesInStoreMs: round(median(storeMs)),
      navigationToFirstShapePaintedMs: round(median(paintMs)),
      jsHeapAfterLoadMb: round(median(heapMb), 1),
    }
  } finally {
    await browser.close()
    await server.stop()
    await database.drop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchBrowserLoad())
}
