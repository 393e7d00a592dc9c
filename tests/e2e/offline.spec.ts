/**
 * Scenario 3: A goes offline, draws three shapes, reloads while offline (service worker +
 * IndexedDB) and still sees them; B edits meanwhile; back online, both see everything.
 */
import { expect, test } from '@playwright/test'
import { addRectangles, createRoom, shapesOn, twoPeopleOneCanGoOffline } from './support/board'

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
