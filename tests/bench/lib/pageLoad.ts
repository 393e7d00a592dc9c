/**
 * What the browser benchmark reads from a page while a board opens, all timed in the page
 * (milliseconds since its navigation started): the first shape tldraw shows (a `.tl-shape` that is
 * not culled), every shape in the editor's store, every shape mounted in the DOM, and the page's
 * performance marks; plus the CPU time Chromium's renderer processes used over the same span
 * (`SystemInfo.getProcessInfo`), which, unlike the wall clock, hardly moves with the load of a
 * shared machine.
 * Works for the app (`window.__drawbridge`) and the bare-tldraw page (`window.__bare`).
 */
import type { Browser, Page } from '@playwright/test'

export type EditorHook = '__drawbridge' | '__bare'

export interface OpenTimings {
  firstShapeMs: number
  allInStoreMs: number
  allMountedMs: number
  /** CPU time of the renderer processes from before the navigation until every shape was mounted. */
  rendererCpuMs: number
  marks: Record<string, { at: number; detail: unknown }>
}

const TIMEOUT_MS = 180_000

/** CPU seconds used so far by every renderer process of the browser. */
export async function rendererCpuSeconds(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession()
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: Array<{ type: string; cpuTime: number }>
  }
  await cdp.detach()
  return processInfo.filter((info) => info.type === 'renderer').reduce((sum, info) => sum + info.cpuTime, 0)
}

export async function timeOpen(
  page: Page,
  url: string,
  hook: EditorHook,
  shapes: number,
): Promise<OpenTimings> {
  const browser = page.context().browser()
  if (!browser) throw new Error('no browser')
  const cpuBefore = await rendererCpuSeconds(browser)
  // Timed from the navigation's commit, the three waits side by side (each notes its own moment).
  await page.goto(url, { waitUntil: 'commit' })
  const first = page.waitForFunction(
    () => {
      for (const element of document.querySelectorAll<HTMLElement>('.tl-shape'))
        if (element.style.display !== 'none') return performance.now()
      return false
    },
    undefined,
    { timeout: TIMEOUT_MS, polling: 'raf' },
  )
  const inStore = page.waitForFunction(
    ({ key, count }) => {
      const editor = (
        window as unknown as Record<string, { editor?: { getCurrentPageShapes(): unknown[] } }>
      )[key]?.editor
      return editor?.getCurrentPageShapes().length === count ? performance.now() : false
    },
    { key: hook, count: shapes },
    { timeout: TIMEOUT_MS, polling: 20 },
  )
  const mounted = page.waitForFunction(
    (count) => (document.querySelectorAll('.tl-shape').length >= count ? performance.now() : false),
    shapes,
    { timeout: TIMEOUT_MS, polling: 'raf' },
  )
  const [firstShape, allInStore, allMounted] = await Promise.all([first, inStore, mounted])
  const rendererCpuMs = Math.round(((await rendererCpuSeconds(browser)) - cpuBefore) * 1000)
  const marks = await page.evaluate(() =>
    Object.fromEntries(
      performance
        .getEntriesByType('mark')
        .map((mark) => [
          mark.name,
          { at: Math.round(mark.startTime), detail: (mark as PerformanceMark).detail },
        ]),
    ),
  )
  return {
    firstShapeMs: Math.round((await firstShape.jsonValue()) as number),
    allInStoreMs: Math.round((await allInStore.jsonValue()) as number),
    allMountedMs: Math.round((await allMounted.jsonValue()) as number),
    rendererCpuMs,
    marks,
  }
}
