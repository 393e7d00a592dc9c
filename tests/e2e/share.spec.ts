/**
 * Sharing (issue 5): the owner opens Share, copies the view link, rotates the edit link — someone
 * still on the old link is disconnected and told the link is no longer valid.
 */

import { BASE_URL } from './support/board'
import { expect, test } from './support/test'
import './support/testHook'

test('the owner rotates the edit link and a person on the old link is told it is no longer valid', async ({
  browser,
}, testInfo) => {
  const owner = await (await browser.newContext()).newPage()
  await owner.goto(BASE_URL())
  await owner.getByRole('button', { name: 'New board' }).click()
  await owner.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
  await owner.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  const oldEditUrl = owner.url()

  const guest = await (await browser.newContext()).newPage()
  await guest.goto(oldEditUrl)
  await guest.waitForFunction(() => window.__drawbridge?.editor !== undefined)

  await owner.getByRole('button', { name: 'Share' }).click()
  const viewUrl = await owner.getByLabel('View only link', { exact: true }).inputValue()
  expect(viewUrl).toMatch(/\/r\/[A-Za-z0-9_-]{22,}$/)
  expect(viewUrl).not.toBe(oldEditUrl)
  await owner.getByTestId('link-editor').getByRole('button', { name: 'Rotate' }).click()

  // The owner carries on through the new link; the guest on the old one is told it is gone.
  await owner.waitForURL((url) => url.toString() !== oldEditUrl)
  await expect(guest.getByRole('heading', { name: 'Link no longer valid' })).toBeVisible()
  await expect(guest.getByText('does not exist or has been revoked')).toBeVisible()
  await guest.screenshot({ path: testInfo.outputPath('guest-after-rotation.png') })

  // The view link still works, read-only.
  const viewer = await (await browser.newContext()).newPage()
  await viewer.goto(viewUrl)
  await expect(viewer.getByTestId('view-only-badge')).toBeVisible()
})
