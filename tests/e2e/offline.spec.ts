/**
 * Scenario 3: A goes offline, draws three shapes, reloads while offline (service worker +
 * IndexedDB) and still sees them; B edits meanwhile; back online, both see everything. And a
 * returning visitor's board comes from the device's copy before the server answers.
 */

import {
  addRectangles,
  BASE_URL,
  createRoom,
  openBoard,
  shapesOn,
  twoPeopleOneCanGoOffline,
} from './support/board'
import { expect, test } from './support/test'

// Offline reloads are served by the PWA's service worker.
test.use({ serviceWorkers: 'allow' })

test('edits made offline survive an offline reload and merge with everyone else on reconnect', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const { contextA, a, b } = await twoPeopleOneCanGoOffline(browser, room.links.edit.id)

  await contextA.setOffline(true)
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline')
  await expect(a.getByTestId('connection-status')).toContainText('changes kept on this device')
  await addRectangles(a, ['offline 1', 'offline 2', 'offline 3'])
  await addRectangles(b, ['online B'])

  await a.reload()
  await a.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await expect.poll(async () => (await shapesOn(a)).filter((s) => s.text.includes('offline')).length).toBe(3)
  expect((await shapesOn(b)).some((s) => s.text.includes('offline'))).toBe(false)

  await contextA.setOffline(false)
  await expect(a.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')
  for (const page of [a, b]) {
    await expect.poll(async () => (await shapesOn(page)).length).toBe(4)
  }
  await a.screenshot({ path: testInfo.outputPath('a-after-reconnect.png') })
  await b.screenshot({ path: testInfo.outputPath('b-after-reconnect.png') })
})

test("a returning visitor's board shows from this device before the server has answered", async ({
  browser,
}) => {
  const room = await createRoom()
  const context = await browser.newContext()
  const first = await context.newPage()
  await openBoard(first, room.links.edit.id, 'Ada')
  await addRectangles(first, ['kept on this device'])
  // y-indexeddb has written the rectangle (its label's bytes are in a stored update).
  await expect
    .poll(() =>
      first.evaluate(
        (name) =>
          new Promise<boolean>((resolve, reject) => {
            const open = indexedDB.open(name)
            open.onerror = () => reject(open.error)
            open.onsuccess = () => {
              const all = open.result.transaction('updates').objectStore('updates').getAll()
              all.onsuccess = () => {
                const text = all.result.map((bytes: Uint8Array) => new TextDecoder().decode(bytes)).join('')
                open.result.close()
                resolve(text.includes('kept on this device'))
              }
            }
          }),
        `drawbridge:${room.roomId}`,
      ),
    )
    .toBe(true)
  await first.close()

  // The server never answers this time: the socket opens and no sync ever arrives.
  await context.routeWebSocket(/\/yjs\//, () => {})
  const again = await context.newPage()
  await again.goto(`${BASE_URL()}/r/${room.links.edit.id}`)
  await again.waitForFunction(() => window.__drawbridge?.editor !== undefined, undefined, { timeout: 30_000 })
  await expect
    .poll(async () => (await shapesOn(again)).some((shape) => shape.text.includes('kept on this device')), {
      timeout: 30_000,
    })
    .toBe(true)
  const state = await again.evaluate(() => ({
    synced: window.__drawbridge!.connection.provider.synced,
    source: (performance.getEntriesByName('drawbridge:doc-ready')[0] as PerformanceMark | undefined)?.detail,
  }))
  expect(state).toEqual({ synced: false, source: 'device' })
  await context.close()
})
