/**
 * A phone (390×844, tldraw's mobile breakpoints): every control of the board's corner is on screen
 * and answers a tap, and every panel it opens fits inside the viewport.
 */
import type { Locator, Page } from '@playwright/test'
import { createRoom, openBoard } from './support/board'
import { expect, test } from './support/test'
import './support/testHook'

const PHONE = { width: 390, height: 844 }
test.use({ viewport: PHONE, hasTouch: true })

async function expectInsideViewport(page: Page, locator: Locator): Promise<void> {
  await expect(locator).toBeVisible()
  const box = (await locator.boundingBox())!
  const { width, height } = page.viewportSize()!
  expect(box.x, 'left edge').toBeGreaterThanOrEqual(0)
  expect(box.y, 'top edge').toBeGreaterThanOrEqual(0)
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(width)
  expect(box.y + box.height, 'bottom edge').toBeLessThanOrEqual(height)
}

test('on a phone, the name, Share, Co-pilot and History are in reach and their panels fit the screen', async ({
  page,
}) => {
  const room = await createRoom()
  await openBoard(page, room.links.edit.id, 'Ada')
  await expectInsideViewport(page, page.getByTestId('board-title'))
  await expectInsideViewport(page, page.getByTestId('connection-status'))

  await expectInsideViewport(page, page.getByTestId('copilot-toggle'))
  await page.getByTestId('copilot-toggle').click()
  await expectInsideViewport(page, page.getByTestId('copilot-panel'))
  await page.getByRole('button', { name: 'Close the co-pilot' }).click()
  await expect(page.getByTestId('copilot-panel')).toHaveCount(0)

  for (const [button, dialog] of [
    ['History', 'Version history'],
    ['Share', 'Share this board'],
  ] as const) {
    const control = page.getByRole('button', { name: button, exact: true })
    await expectInsideViewport(page, control)
    await control.click()
    await expectInsideViewport(page, page.getByRole('dialog', { name: dialog }))
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog', { name: dialog })).toHaveCount(0)
  }
})
