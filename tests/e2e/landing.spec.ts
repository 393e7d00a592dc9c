/** Scenario 4: a board created from the landing page keeps its content across a reload. */

import { addRectangles, BASE_URL, shapesOn } from './support/board'
import { expect, test } from './support/test'

test('a new board from the landing page keeps its content, on this device and on the server', async ({
  browser,
}, testInfo) => {
  const page = await (await browser.newContext()).newPage()
  await page.goto(BASE_URL())
  await page.getByRole('button', { name: 'New board' }).click()
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
  await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await addRectangles(page, ['keep me'])
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')

  await page.reload()
  await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await expect.poll(async () => (await shapesOn(page)).some((s) => s.text.includes('keep me'))).toBe(true)

  // A device that never saw the board gets it from the server.
  const elsewhere = await (await browser.newContext()).newPage()
  await elsewhere.goto(page.url())
  await elsewhere.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await expect
    .poll(async () => (await shapesOn(elsewhere)).some((s) => s.text.includes('keep me')))
    .toBe(true)

  await page.goto(BASE_URL())
  await expect(page.getByTestId('boards-on-device').getByRole('link')).toHaveCount(1)
  await page.screenshot({ path: testInfo.outputPath('landing.png') })
})

test('an unknown link shows a clear page, not a blank canvas', async ({ page }) => {
  await page.goto(`${BASE_URL()}/r/${'x'.repeat(24)}`)
  await expect(page.getByRole('heading', { name: 'Link no longer valid' })).toBeVisible()
})
