/**
 * A draw.io file imported in Chromium looks like the original: every label lies inside its shape
 * and no word is broken across lines (measured on the rendered DOM), the embedded image is a board
 * asset, and a second import lands beside the first instead of on top of it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { createRoom, openBoard } from './support/board'
import { expect, test } from './support/test'

/** The editor calls this spec makes (the test hook's type lists only the common ones). */
interface FidelityEditor {
  getCurrentPageShapeIds(): Set<string>
  getShapePageBounds(id: string): { minX: number; minY: number; maxX: number; maxY: number } | undefined
  getCameraState(): string
  getZoomLevel(): number
  getShape(id: string): { type: string } | undefined
  getAssets(): Array<{ props: unknown }>
  getViewportPageBounds(): { minX: number; minY: number; maxX: number; maxY: number }
  putExternalContent(content: { type: 'text'; text: string }): Promise<void>
}
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'drawio', 'fidelity.drawio')
/** Sub-pixel rounding allowed when comparing a glyph's box with its shape's box (px). */
const TOLERANCE_PX = 1

async function importFixture(page: Page): Promise<string[]> {
  const before = new Set(
    await page.evaluate(() => [
      ...(window.__drawbridge!.editor as unknown as FidelityEditor).getCurrentPageShapeIds(),
    ]),
  )
  await page.getByRole('button', { name: 'Menu' }).click()
  const choosing = page.waitForEvent('filechooser')
  await page.getByRole('menuitem', { name: 'Import draw.io file…' }).click()
  await (await choosing).setFiles(FIXTURE)
  // 26 shapes and 4 arrows; the import is one put, so waiting for the count is enough.
  await expect
    .poll(
      async () =>
        (await page.evaluate(
          () => (window.__drawbridge!.editor as unknown as FidelityEditor).getCurrentPageShapeIds().size,
        )) - before.size,
    )
    .toBe(30)
  const after = await page.evaluate(() => [
    ...(window.__drawbridge!.editor as unknown as FidelityEditor).getCurrentPageShapeIds(),
  ])
  return after.filter((id) => !before.has(id))
}

interface LabelReport {
  shape: string
  type: string
  text: string
  outside: boolean
  brokenWords: string[]
  /** The label's glyph boxes on screen (to find labels drawn over each other). */
  rects: Array<{ left: number; top: number; right: number; bottom: number }>
}

/** Every rendered label of the given shapes: is each glyph inside its shape, is any word split over lines. */
function measureLabels(page: Page, ids: string[]): Promise<LabelReport[]> {
  return page.evaluate(
    ({ ids, tolerance }) => {
      const reports: LabelReport[] = []
      for (const id of ids) {
        const element = document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${id}"]`)
        if (!element) continue
        const type = element.dataset.shapeType ?? ''
        const shapeBox = element.getBoundingClientRect()
        for (const label of element.querySelectorAll<HTMLElement>('.tl-rich-text')) {
          const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT)
          let outside = false
          const brokenWords: string[] = []
          const glyphs: LabelReport['rects'] = []
          let text = ''
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const content = node.textContent ?? ''
            text += content
            for (const match of content.matchAll(/\S+/g)) {
              const range = document.createRange()
              range.setStart(node, match.index)
              range.setEnd(node, match.index + match[0].length)
              const rects = [...range.getClientRects()].filter((r) => r.width > 0)
              for (const r of rects)
                glyphs.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom })
              const lines = new Set(rects.map((r) => Math.round(r.top)))
              if (lines.size > 1) brokenWords.push(match[0])
              // Arrow labels sit on the arrow, not inside a box: only geo and note labels are checked.
              if (type === 'geo' || type === 'note') {
                for (const r of rects) {
                  if (
                    r.left < shapeBox.left - tolerance ||
                    r.right > shapeBox.right + tolerance ||
                    r.top < shapeBox.top - tolerance ||
                    r.bottom > shapeBox.bottom + tolerance
                  )
                    outside = true
                }
              }
            }
          }
          if (text.trim()) reports.push({ shape: id, type, text, outside, brokenWords, rects: glyphs })
        }
      }
      return reports
    },
    { ids, tolerance: TOLERANCE_PX },
  )
}

/** Every label inside its shape, no word broken across lines, no label drawn over another. */
function expectReadable(labels: LabelReport[]): void {
  expect(labels.filter((l) => l.outside).map((l) => l.text)).toEqual([])
  expect(labels.filter((l) => l.brokenWords.length > 0).map((l) => `${l.text}: ${l.brokenWords}`)).toEqual([])
  // No label is drawn over another (an edge's three labels included).
  const stacked: string[] = []
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) {
      const hit = a.rects.some((r) =>
        b.rects.some((q) => r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom),
      )
      if (hit) stacked.push(`${a.text} / ${b.text}`)
    }
  }
  expect(stacked).toEqual([])
}

function unionBounds(page: Page, ids: string[]) {
  return page.evaluate((shapeIds) => {
    const editor = window.__drawbridge!.editor as unknown as FidelityEditor
    const boxes = shapeIds
      .map((id) => editor.getShapePageBounds(id))
      .filter((b): b is NonNullable<typeof b> => b !== undefined)
    return {
      minX: Math.min(...boxes.map((b) => b.minX)),
      minY: Math.min(...boxes.map((b) => b.minY)),
      maxX: Math.max(...boxes.map((b) => b.maxX)),
      maxY: Math.max(...boxes.map((b) => b.maxY)),
    }
  }, ids)
}

test('an imported draw.io diagram keeps every label readable inside its shape, and a second import lands beside the first', async ({
  page,
}, testInfo) => {
  const room = await createRoom()
  await openBoard(page, room.links.edit.id)
  const first = await importFixture(page)
  // Let the camera settle and the fonts load before measuring text.
  await page.evaluate(() => document.fonts.ready)
  await expect
    .poll(() =>
      page.evaluate(() => (window.__drawbridge!.editor as unknown as FidelityEditor).getCameraState()),
    )
    .toBe('idle')

  const labels = await measureLabels(page, first)
  const texts = labels.map((l) => l.text)
  for (const expected of ['Authentication service', 'Notification gateway', 'Reporting warehouse', 'token'])
    expect(texts).toContain(expected)
  // Boxes smaller than tldraw's own label padding (a 12 px label in 60×30, 'Decision' in a 60×60
  // diamond, 18 px in a 25×25 circle, 14 px in 30×20), a %placeholder% label, a wrapped text cell
  // narrower than its word, a cell whose style was over the limit (inline stencil), insets too big
  // for their box (spacing=8 in 70 px, spacingLeft=34 in a 26 px row) and a header label turned a
  // quarter turn (horizontal=0) in a 30 px wide header.
  for (const expected of [
    'Invoices',
    'Decision',
    '3',
    '11',
    'Billing[Container]',
    'Legend',
    'Crab',
    'Queuing / Scheduler',
    'UserID',
    'Lane 1',
  ])
    expect(texts).toContain(expected)
  expectReadable(labels)
  // 12 px labels stay 12 px on the page (tldraw's `s` size at scale 12/18), measured at the camera's zoom.
  const fontPx = await page.evaluate((ids) => {
    const editor = window.__drawbridge!.editor as unknown as FidelityEditor
    const id = ids.find((i) => editor.getShape(i)?.type === 'geo')
    const label = document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${id}"] .tl-rich-text`)!
    const rect = label.getBoundingClientRect()
    const scaleOnScreen = rect.height / label.offsetHeight
    return (Number.parseFloat(getComputedStyle(label).fontSize) * scaleOnScreen) / editor.getZoomLevel()
  }, first)
  expect(fontPx).toBeCloseTo(12, 0)

  // The embedded image is a board asset served by the server, not base64 in the document.
  const sources = await page.evaluate(() =>
    (window.__drawbridge!.editor as unknown as FidelityEditor)
      .getAssets()
      .map((a) => String((a.props as { src?: string }).src)),
  )
  expect(sources).toHaveLength(1)
  expect(sources[0]).toMatch(/^\/api\/assets\//)
  await expect(page.locator('.tl-shape[data-shape-type="image"] img')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('fidelity.png') })

  const second = await importFixture(page)
  const a = await unionBounds(page, first)
  const b = await unionBounds(page, second)
  const overlap = a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
  expect(overlap, `first ${JSON.stringify(a)}, second ${JSON.stringify(b)}`).toBe(false)
  // The camera moved to show the second import (its top-left corner is in view).
  await expect
    .poll(() =>
      page.evaluate(() => (window.__drawbridge!.editor as unknown as FidelityEditor).getCameraState()),
    )
    .toBe('idle')
  const view = await page.evaluate(() => {
    const v = (window.__drawbridge!.editor as unknown as FidelityEditor).getViewportPageBounds()
    return { minX: v.minX, minY: v.minY, maxX: v.maxX, maxY: v.maxY }
  })
  expect(view.minX <= b.minX && b.minX <= view.maxX && view.minY <= b.minY && b.minY <= view.maxY).toBe(true)
  await page.screenshot({ path: testInfo.outputPath('second-import.png') })
})

test('draw.io XML pasted on the board (as draw.io copies it) imports like a file', async ({ page }) => {
  const room = await createRoom()
  await openBoard(page, room.links.edit.id)
  const xml = readFileSync(FIXTURE, 'utf8')
  // What tldraw's paste handler hands on for clipboard text; draw.io copies its model URI-encoded.
  await page.evaluate(
    (text) =>
      (window.__drawbridge!.editor as unknown as FidelityEditor).putExternalContent({ type: 'text', text }),
    encodeURIComponent(xml),
  )
  await expect
    .poll(() =>
      page.evaluate(
        () => (window.__drawbridge!.editor as unknown as FidelityEditor).getCurrentPageShapeIds().size,
      ),
    )
    .toBe(30)
  await expect(page.getByText(/Imported the pasted diagram/).first()).toBeVisible()
})

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

  test('an imported draw.io diagram is readable on a phone screen too', async ({ page }, testInfo) => {
    const room = await createRoom()
    await openBoard(page, room.links.edit.id)
    const ids = await importFixture(page)
    await page.evaluate(() => document.fonts.ready)
    await expect
      .poll(() =>
        page.evaluate(() => (window.__drawbridge!.editor as unknown as FidelityEditor).getCameraState()),
      )
      .toBe('idle')
    const labels = await measureLabels(page, ids)
    expect(labels.map((l) => l.text)).toContain('Authentication service')
    expectReadable(labels)
    await page.screenshot({ path: testInfo.outputPath('fidelity-phone.png') })
  })
})
