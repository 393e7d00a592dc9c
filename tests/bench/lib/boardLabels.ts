/**
 * Drawbridge's side of the draw.io readability benchmark: a file is imported through the real API
 * (`POST /api/links/<id>/import`, as the import menu's server path), the board is opened in
 * Chromium, and every page is zoomed to fit (so tldraw culls nothing) and measured from the DOM:
 * geo and note labels must lie inside their shape and keep their words whole; text and arrow
 * labels must keep their words whole; a frame's name must not be cut off by its ellipsis.
 */
import type { Page } from '@playwright/test'
import { createRoom } from '../../integration/support/clients'
import { LABEL_CHECK_SOURCE, type LabelVerdict } from './labelCheck'

/** One measured label: which kind of label it is decides which checks apply. */
export interface MeasuredLabel extends LabelVerdict {
  page: number
  /** box: drawn inside a shape; free: text or arrow label (words only); frame: a container's name. */
  kind: 'box' | 'free' | 'frame'
  shapeType: string
  /** The shape's size in page px, and its label's font size (px on the page) where known. */
  w: number
  h: number
  fontPx: number
}

interface BoardEditor {
  getPages(): Array<{ id: string }>
  setCurrentPage(id: string): void
  getCurrentPageShapes(): Array<{ id: string }>
  zoomToFit(options: { animation: { duration: number } }): void
  getZoomLevel(): number
  getShape(id: string): { type: string; props: Record<string, unknown> } | undefined
  getShapePageBounds(id: string): { w: number; h: number } | undefined
  store: { allRecords(): Array<{ typeName: string }> }
}

/** tldraw's base font sizes per `size` (× scale), to report a label's size on the page. */
const LABEL_PX: Record<string, Record<string, number>> = {
  geo: { s: 18, m: 22, l: 26, xl: 32 },
  note: { s: 18, m: 22, l: 26, xl: 32 },
  text: { s: 18, m: 24, l: 36, xl: 44 },
  arrow: { s: 18, m: 20, l: 24, xl: 28 },
}

async function importFile(baseUrl: string, bytes: Buffer): Promise<{ linkId: string; error?: string }> {
  const room = await createRoom(baseUrl, 'draw.io readability')
  const response = await fetch(`${baseUrl}/api/links/${room.links.edit.id}/import`, {
    method: 'POST',
    body: new Uint8Array(bytes),
  })
  if (response.status !== 200) {
    const body = (await response.json().catch(() => ({}))) as { error?: string }
    return { linkId: room.links.edit.id, error: `${response.status} ${body.error ?? ''}` }
  }
  return { linkId: room.links.edit.id }
}

/** Waits until the board's shape count has not changed for a while (the import arrived whole). */
async function waitForShapes(page: Page): Promise<void> {
  let last = -1
  let stableSince = Date.now()
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const count = await page.evaluate(
      () =>
        (window.__drawbridge!.editor as unknown as BoardEditor).store
          .allRecords()
          .filter((r) => r.typeName === 'shape').length,
    )
    if (count !== last) {
      last = count
      stableSince = Date.now()
    } else if (count > 0 && Date.now() - stableSince > 750) return
    await page.waitForTimeout(150)
  }
  throw new Error('the imported shapes did not arrive in the browser')
}

function measurePage(page: Page, pageIndex: number): Promise<MeasuredLabel[]> {
  return page.evaluate(
    ({ pageIndex, labelPx }) => {
      const editor = window.__drawbridge!.editor as unknown as BoardEditor
      const check = (window as unknown as { __checkLabel: (input: unknown) => LabelVerdict }).__checkLabel
      const zoom = editor.getZoomLevel()
      // One page pixel of slack (sub-pixel rounding), in client pixels.
      const tolerance = Math.max(0.25, zoom)
      const labels: MeasuredLabel[] = []
      for (const element of document.querySelectorAll<HTMLElement>('.tl-shape[data-shape-id]')) {
        const id = element.dataset.shapeId!
        const shape = editor.getShape(id)
        const bounds = editor.getShapePageBounds(id)
        if (!shape || !bounds) continue
        const base = {
          page: pageIndex,
          shapeType: shape.type,
          w: Math.round(bounds.w),
          h: Math.round(bounds.h),
        }
        const size = String(shape.props.size ?? '')
        const scale = Number(shape.props.scale ?? 1)
        const fontPx = Math.round((labelPx[shape.type]?.[size] ?? 0) * scale * 10) / 10
        if (shape.type === 'frame') {
          const name = element.querySelector<HTMLElement>('.tl-frame-label')
          const text = (name?.textContent ?? '').trim()
          if (!name || !text) continue
          const cut = name.scrollWidth > name.clientWidth + 1
          labels.push({ ...base, kind: 'frame', text, outside: cut, brokenWords: [], fontPx: 12 })
          continue
        }
        for (const root of element.querySelectorAll('.tl-rich-text')) {
          const boxed = shape.type === 'geo' || shape.type === 'note'
          const r = element.getBoundingClientRect()
          const verdict = check({
            root,
            box: boxed ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null,
            tolerance,
          })
          if (verdict.text) labels.push({ ...base, ...verdict, kind: boxed ? 'box' : 'free', fontPx })
        }
      }
      return labels
    },
    { pageIndex, labelPx: LABEL_PX },
  )
}

/** Imports `bytes` into a new room and measures every label on every page of the board. */
export async function measureOnBoard(
  page: Page,
  baseUrl: string,
  bytes: Buffer,
): Promise<{ labels: MeasuredLabel[]; error?: string }> {
  const { linkId, error } = await importFile(baseUrl, bytes)
  if (error) return { labels: [], error }
  await page.goto(`${baseUrl}/r/${linkId}`)
  await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await page.evaluate(LABEL_CHECK_SOURCE)
  await waitForShapes(page)
  const pageIds = await page.evaluate(() =>
    (window.__drawbridge!.editor as unknown as BoardEditor).getPages().map((p) => p.id),
  )
  const labels: MeasuredLabel[] = []
  for (const [index, id] of pageIds.entries()) {
    await page.evaluate((pageId) => {
      const editor = window.__drawbridge!.editor as unknown as BoardEditor
      editor.setCurrentPage(pageId)
      editor.zoomToFit({ animation: { duration: 0 } })
    }, id)
    await page.evaluate(async () => {
      await document.fonts.ready
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    })
    labels.push(...(await measurePage(page, index)))
  }
  return { labels }
}
