/**
 * Durability with real browsers: the server is SIGKILLed while two people are drawing. Their edits
 * stay on their devices, go back to the server when it is up again, and end up persisted.
 */
import { createServer } from 'node:net'
import type { Page } from '@playwright/test'
import { createTestDatabase } from '../integration/support/databases'
import { spawnServer } from '../integration/support/servers'
import { expect, test } from './support/test'
import './support/testHook'

const SHAPES_EACH = 30

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Starts drawing `SHAPES_EACH` boxes, one every 40 ms, without waiting for it to finish. */
function startDrawing(page: Page, label: string): Promise<void> {
  return page.evaluate(
    ({ label, count }) =>
      new Promise<void>((resolve) => {
        let drawn = 0
        const timer = setInterval(() => {
          window.__drawbridge!.editor.createShape({
            type: 'geo',
            x: drawn * 30,
            y: label === 'a' ? 0 : 200,
            props: { w: 20, h: 20 },
          })
          if (++drawn === count) {
            clearInterval(timer)
            resolve()
          }
        }, 40)
      }),
    { label, count: SHAPES_EACH },
  )
}

const shapeCount = (page: Page) =>
  page.evaluate(() => window.__drawbridge!.editor.getCurrentPageShapes().length)

test('edits made while the server is killed are kept by the browsers and persisted after it returns', async ({
  browser,
}, testInfo) => {
  // Two server processes start on an embedded database here; on a busy 2-core runner each start
  // alone has taken 30 s, so the default 90 s is too tight for the whole story.
  test.setTimeout(180_000)
  const database = await createTestDatabase('pglite')
  const env = { PORT: String(await freePort()), ROOM_IDLE_MS: '60000' }
  let server = await spawnServer(database, env)
  try {
    const created = await fetch(`${server.url}/api/rooms`, { method: 'POST', body: '{}' })
    const room = (await created.json()) as { links: { edit: { id: string } } }
    const url = `${server.url}/r/${room.links.edit.id}`
    const pages = [await (await browser.newContext()).newPage(), await (await browser.newContext()).newPage()]
    for (const page of pages) {
      await page.goto(url)
      await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)
    }

    const drawing = [startDrawing(pages[0]!, 'a'), startDrawing(pages[1]!, 'b')]
    await expect.poll(() => shapeCount(pages[0]!)).toBeGreaterThan(10)
    server.child.kill('SIGKILL')
    await server.exited
    await Promise.all(drawing) // both keep drawing while the server is gone
    for (const page of pages)
      await expect(page.getByTestId('connection-status')).not.toHaveAttribute('data-status', 'connected')

    server = await spawnServer(database, env)
    for (const page of pages) {
      await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected', {
        timeout: 20_000,
      })
      await expect.poll(() => shapeCount(page), { timeout: 20_000 }).toBe(2 * SHAPES_EACH)
    }
    const fresh = await (await browser.newContext()).newPage()
    await fresh.goto(url)
    await fresh.waitForFunction(() => window.__drawbridge?.editor !== undefined)
    await expect.poll(() => shapeCount(fresh)).toBe(2 * SHAPES_EACH)
    await fresh.screenshot({ path: testInfo.outputPath('after-restart.png') })
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
    await database.drop()
  }
})
