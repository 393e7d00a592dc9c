/**
 * Images on the board: a PNG dropped in one browser is uploaded, the doc holds its URL (never
 * base64), and another browser renders it; tldraw's PNG/SVG export and the draw.io download carry
 * it. Offline, the dropped image shows at once, survives a reload from this device, and is uploaded
 * on reconnect so the other browser renders it too.
 */
import { readFile } from 'node:fs/promises'
import { readRecords } from '@drawbridge/shared'
import type { BrowserContext, Page } from '@playwright/test'
import { connectSynced, destroyAll } from '../integration/support/clients'
import { png } from '../integration/support/mediaFiles'
import { BASE_URL, createRoom, openBoard, twoPeopleOneCanGoOffline } from './support/board'
import { dropFile } from './support/drop'
import { expect, test } from './support/test'

// Offline reloads are served by the PWA's service worker.
test.use({ serviceWorkers: 'allow' })

const ASSET_URL = /^\/api\/assets\/[0-9a-f-]{36}\/[0-9a-f]{64}$/

interface RenderedImage {
  src: string
  complete: boolean
  naturalWidth: number
  naturalHeight: number
}

/** The images tldraw has rendered on the canvas, with whether they loaded. */
function renderedImages(page: Page): Promise<RenderedImage[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>('img.tl-image')].map((img) => ({
      src: img.getAttribute('src') ?? '',
      complete: img.complete,
      naturalWidth: img.naturalWidth,
      naturalHeight: img.naturalHeight,
    })),
  )
}

function imageSources(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    window
      .__drawbridge!.editor.getAssets()
      .filter((asset) => asset.type === 'image')
      .map((asset) => String(asset.props.src)),
  )
}

/** True once `page` shows a loaded image of the given size whose src matches `src`. */
async function showsImage(page: Page, width: number, height: number, src: RegExp): Promise<boolean> {
  return (await renderedImages(page)).some(
    (img) => img.complete && img.naturalWidth === width && img.naturalHeight === height && src.test(img.src),
  )
}

/** The image sources the server's copy of the doc holds. */
async function serverImageSources(linkId: string): Promise<string[]> {
  const provider = await connectSynced(BASE_URL(), linkId)
  const sources = [...readRecords(provider.doc).values()]
    .filter((record) => record.typeName === 'asset' && record.type === 'image')
    .map((record) => String((record as { props: { src: unknown } }).props.src))
  destroyAll([provider])
  return sources
}

test('a dropped PNG is uploaded, stored in the doc as a URL, and rendered for everyone', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const a = await (await browser.newContext({ acceptDownloads: true })).newPage()
  const b = await (await browser.newContext()).newPage()
  await openBoard(a, room.links.edit.id, 'Ada')
  await openBoard(b, room.links.view.id, 'Ben')

  const bytes = png(64, 48, [220, 38, 38])
  await dropFile(a, { name: 'logo.png', mimeType: 'image/png', bytes })

  await expect.poll(() => imageSources(a)).toEqual([expect.stringMatching(ASSET_URL)])
  const [src] = await imageSources(a)
  // The doc holds the URL (the server's copy, and what the other browser received), never base64.
  expect(await serverImageSources(room.links.view.id)).toEqual([src])
  await expect.poll(() => imageSources(b)).toEqual([src])
  await expect.poll(() => showsImage(b, 64, 48, ASSET_URL)).toBe(true)
  await expect.poll(() => showsImage(a, 64, 48, /./)).toBe(true)
  const served = await fetch(`${BASE_URL()}${src}`)
  expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
  await b.screenshot({ path: testInfo.outputPath('b-sees-the-image.png') })

  // tldraw's exports carry the image: the SVG embeds it, the PNG has its pixels.
  const exported = await a.evaluate(async () => {
    const editor = window.__drawbridge!.editor
    const ids = editor.getCurrentPageShapes().map((shape) => shape.id)
    const svg = (await editor.getSvgString(ids))?.svg ?? ''
    const { blob } = await editor.toImage(ids, { format: 'png', background: false })
    const bitmap = await createImageBitmap(blob)
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
    const context = canvas.getContext('2d')!
    context.drawImage(bitmap, 0, 0)
    const centre = context.getImageData(
      Math.floor(bitmap.width / 2),
      Math.floor(bitmap.height / 2),
      1,
      1,
    ).data
    return { svgHasImage: /<image[^>]+href="data:image\/png;base64,/.test(svg), centre: [...centre] }
  })
  expect(exported.svgHasImage).toBe(true)
  expect(exported.centre).toEqual([220, 38, 38, 255])

  // The draw.io download embeds it too, so draw.io opens the file with the image.
  await a.getByRole('button', { name: 'Menu' }).click()
  const downloading = a.waitForEvent('download')
  await a.getByRole('menuitem', { name: 'Export as draw.io (.drawio)' }).click()
  const file = testInfo.outputPath('board.drawio')
  await (await downloading).saveAs(file)
  const xml = await readFile(file, 'utf8')
  expect(xml).toContain(`image=data:image/png,${bytes.toString('base64')}`)
  expect(xml).not.toContain('/api/assets/')
})

test('an image dropped offline shows at once, survives an offline reload, and reaches everyone on reconnect', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const { contextA, a, b } = await twoPeopleOneCanGoOffline(browser, room.links.edit.id)

  await contextA.setOffline(true)
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline')
  const bytes = png(80, 60, [22, 163, 74])
  await dropFile(a, { name: 'offline.png', mimeType: 'image/png', bytes })

  // Shown at once, from this device; the record holds a placeholder until the upload.
  await expect.poll(() => imageSources(a)).toEqual([expect.stringMatching(/^asset:drawbridge-pending-/)])
  await expect.poll(() => showsImage(a, 80, 60, /^blob:/)).toBe(true)
  await a.reload()
  await a.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await expect.poll(() => showsImage(a, 80, 60, /^blob:/)).toBe(true)
  await a.screenshot({ path: testInfo.outputPath('a-offline-after-reload.png') })
  expect(await imageSources(b)).toEqual([])

  await contextA.setOffline(false)
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')
  await expect.poll(() => imageSources(a)).toEqual([expect.stringMatching(ASSET_URL)])
  const [src] = await imageSources(a)
  await expect.poll(() => imageSources(b)).toEqual([src])
  await expect.poll(() => showsImage(b, 80, 60, ASSET_URL)).toBe(true)
  expect(await serverImageSources(room.links.view.id)).toEqual([src])
  const served = await fetch(`${BASE_URL()}${src}`)
  expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
  await b.screenshot({ path: testInfo.outputPath('b-after-reconnect.png') })
})

/** An SVG whose onload handler and <script> would both mark the document and raise a dialog. */
const SCRIPTED_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"' +
    " onload=\"document.documentElement.setAttribute('data-onload','ran');alert('onload')\">" +
    "<script>document.documentElement.setAttribute('data-script','ran');alert('script')</script>" +
    '<rect width="40" height="40" fill="red"/></svg>',
)

/** Opens `url` as a top-level document; returns what its scripts did (attributes set, dialogs). */
async function openDirectly(context: BrowserContext, url: string) {
  const page = await context.newPage()
  const dialogs: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const response = await page.goto(url)
  await page.waitForTimeout(500) // onload and inline scripts run at once; give them time to show
  const marks = await page.evaluate(() => ({
    root: document.documentElement.localName,
    onload: document.documentElement.getAttribute('data-onload'),
    script: document.documentElement.getAttribute('data-script'),
  }))
  await page.close()
  return { status: response?.status(), headers: response?.headers() ?? {}, dialogs, ...marks }
}

test('an uploaded SVG opened directly in the browser runs none of its scripts', async ({ browser }) => {
  const room = await createRoom()
  const uploaded = await fetch(`${BASE_URL()}/api/links/${room.links.edit.id}/assets`, {
    method: 'POST',
    headers: { 'content-type': 'image/svg+xml' },
    body: SCRIPTED_SVG,
  })
  expect(uploaded.status).toBe(201)
  const { url } = (await uploaded.json()) as { url: string }
  const context = await browser.newContext()

  // Control: the same bytes served from the same origin without our headers do run (so the probe works).
  await context.route(`${BASE_URL()}/svg-without-csp.svg`, (route) =>
    route.fulfill({ status: 200, contentType: 'image/svg+xml', body: SCRIPTED_SVG }),
  )
  const unprotected = await openDirectly(context, `${BASE_URL()}/svg-without-csp.svg`)
  expect(unprotected.root).toBe('svg')
  expect(unprotected.script).toBe('ran')
  expect(unprotected.dialogs.length).toBeGreaterThan(0)

  // Served by Drawbridge: the document is the SVG, but neither its <script> nor its onload ran.
  const served = await openDirectly(context, `${BASE_URL()}${url}`)
  expect(served.status).toBe(200)
  expect(served.headers['content-type']).toBe('image/svg+xml')
  expect(served.headers['content-security-policy']).toMatch(/^sandbox\b/)
  expect(served.root).toBe('svg')
  expect(served).toMatchObject({ onload: null, script: null, dialogs: [] })
  await context.close()
})
