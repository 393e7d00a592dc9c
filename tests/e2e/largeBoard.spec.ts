/**
 * A board past tldraw's default page limit (4,000 shapes) stays editable: a person opens a
 * 5,000-shape board and draws a rectangle with the tool, and everyone else gets it.
 */
import { buildGeoShape, getIndices, openRecords, readRecords } from '@drawbridge/shared'
import { expect, type Page, test } from '@playwright/test'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BASE_URL, createRoom, openBoard } from './support/board'
import './support/testHook'

/** Past tldraw's default `maxShapesPerPage` (4,000). */
const SHAPES = 5_000
/** Shapes written per transaction while seeding. */
const BATCH = 1_000

function peer(linkId: string): WebsocketProvider {
  return new WebsocketProvider(`${BASE_URL().replace(/^http/, 'ws')}/yjs`, linkId, new Y.Doc(), {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
}

const synced = (provider: WebsocketProvider) =>
  new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })

const shapeCount = (page: Page) =>
  page.evaluate(() => window.__drawbridge!.editor.getCurrentPageShapes().length)

test('a person adds a shape to a 5,000-shape board', async ({ page }) => {
  test.setTimeout(120_000)
  const room = await createRoom()
  const seeder = peer(room.links.edit.id)
  try {
    await synced(seeder)
    // Plain unlabeled rectangles, right of where the person draws (the view starts at the origin).
    const records = openRecords(seeder.doc)
    const indices = getIndices(SHAPES)
    for (let start = 0; start < SHAPES; start += BATCH) {
      seeder.doc.transact(() => {
        for (let i = start; i < start + BATCH; i++) {
          const x = 4_000 + (i % 100) * 30
          const y = Math.floor(i / 100) * 30
          const shape = buildGeoShape({ x, y, w: 20, h: 20, index: indices[i]! })
          records.set(shape.id, shape)
        }
      })
    }

    await openBoard(page, room.links.edit.id)
    await expect.poll(() => shapeCount(page), { timeout: 60_000 }).toBe(SHAPES)

    await page.keyboard.press('r')
    await page.mouse.move(300, 300)
    await page.mouse.down()
    await page.mouse.move(420, 380, { steps: 8 })
    await page.mouse.up()
    await expect.poll(() => shapeCount(page)).toBe(SHAPES + 1)

    // The new rectangle reached the server: the seeding peer sees it too.
    await expect
      .poll(() => [...readRecords(seeder.doc).values()].filter((r) => r.typeName === 'shape').length)
      .toBe(SHAPES + 1)
  } finally {
    seeder.destroy()
  }
})
