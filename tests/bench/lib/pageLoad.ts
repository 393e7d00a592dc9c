/**
 * What the browser benchmark reads from a page while a board opens, all timed in the page
 * (milliseconds since its navigation started): the first shape tldraw shows (a `.tl-shape` that is
 * not culled), every shape in the editor's store, every shape mounted in the DOM, and the page's
 * performance marks. Works for the app (`window.__drawbridge`) and the bare-tldraw page (`window.__bare`).
 */
import type { Page } from '@playwright/test'

export type EditorHook = '__drawbridge' | '__bare'

export interface OpenTimings {
  firstShapeMs: number
  allInStoreMs: number
  allMountedMs: number
  marks: Record<string, { at: number; detail: unknown }>
}

const TIMEOUT_MS = 180_000

export async function timeOpen(
  page: Page,
  url: string,
  hook: EditorHook,
  shapes: number,
): Promise<OpenTimings> {
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
    marks,
  }
}
