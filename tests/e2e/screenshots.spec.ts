/**
 * The screenshots of docs/user-guide.md, taken from the real app: run with
 * `DOCS_SCREENSHOTS=1 npx playwright test -c e2e/playwright.config.ts screenshots.spec.ts` (from
 * tests/). Skipped in the normal run: it writes files into docs/images/ and proves nothing the
 * other specs do not.
 */
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import { BASE_URL } from './support/board'
import { expect, test } from './support/test'
import './support/testHook'

const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url))
const DRAWIO_FIXTURE = fileURLToPath(new URL('../fixtures/drawio/edges.drawio', import.meta.url))
const MERMAID = [
  'graph LR',
  '  Browser --> API',
  '  API --> DB[(Database)]',
  '  API --> Queue',
  '  Queue --> Worker',
]

test.skip(!process.env.DOCS_SCREENSHOTS, 'writes docs/images/: run with DOCS_SCREENSHOTS=1')

const shot = (page: Page, name: string) => page.screenshot({ path: `${IMAGES}${name}.png` })

async function newBoard(page: Page): Promise<void> {
  await page.goto(BASE_URL())
  await page.getByRole('button', { name: 'New board' }).click()
  await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await page.evaluate(() => window.__drawbridge!.editor.user.updateUserPreferences({ name: 'Ada' }))
}

async function askCopilot(page: Page): Promise<void> {
  await page.getByTestId('copilot-toggle').click()
  await page.getByLabel('Ask the co-pilot').fill(MERMAID.join('\n'))
  await page.getByTestId('copilot-send').click()
  await expect(page.getByTestId('copilot-job')).toHaveText(/^Done/, { timeout: 60_000 })
}

test('user guide screenshots, desktop', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await newBoard(page)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')
  await shot(page, 'new-board')

  await page.getByTestId('board-title').click()
  await page.getByTestId('board-title-input').fill('Checkout architecture')
  await page.getByTestId('board-title-input').press('Enter')
  await expect(page.getByTestId('board-title')).toHaveText('Checkout architecture')

  await askCopilot(page)
  await shot(page, 'copilot')
  await page.getByRole('button', { name: 'Close the co-pilot' }).click()

  const guest = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await guest.goto(page.url())
  await guest.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  await guest.evaluate(() => window.__drawbridge!.editor.user.updateUserPreferences({ name: 'Ben' }))
  await page.locator('.tlui-people-menu__avatars-button').click()
  await expect(page.locator('.tlui-people-menu__name', { hasText: 'Ben' })).toBeVisible()
  await shot(page, 'people')
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await expect(page.getByRole('dialog', { name: 'Share this board' }).getByText('Can edit')).toBeVisible()
  await shot(page, 'share')
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Menu' }).click()
  await page.getByRole('menuitem', { name: 'Export as draw.io (.drawio)' }).hover()
  await shot(page, 'drawio-menu')
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: 'Menu' }).click()
  const choosing = page.waitForEvent('filechooser')
  await page.getByRole('menuitem', { name: 'Import draw.io file…' }).click()
  await (await choosing).setFiles(DRAWIO_FIXTURE)
  await expect(page.getByText(/Imported edges\.drawio/).first()).toBeVisible()
  await shot(page, 'drawio-import')

  await page.getByRole('button', { name: 'History', exact: true }).click()
  await page.getByRole('button', { name: 'Save version' }).click()
  await page.getByLabel('Version name').fill('After the import')
  await shot(page, 'history-save')
  await page.getByLabel('Version name').press('Enter')
  await expect(page.getByRole('button', { name: /^After the import —/ })).toBeVisible()
  await shot(page, 'history')
  await page.getByRole('button', { name: /^After the import —/ }).click()
  await expect(page.getByTestId('version-preview')).toBeVisible()
  await shot(page, 'history-preview')
  await page.getByRole('button', { name: 'Back to the board' }).click()

  await context.setOffline(true)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline')
  await shot(page, 'offline')
  await context.setOffline(false)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')

  await page.evaluate(() => window.__drawbridge!.editor.user.updateUserPreferences({ colorScheme: 'dark' }))
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await expect(page.getByRole('dialog', { name: 'Share this board' })).toBeVisible()
  await shot(page, 'dark-share')
  await page.keyboard.press('Escape')

  await page.evaluate(() => window.__drawbridge!.editor.user.updateUserPreferences({ colorScheme: 'light' }))
  await page.goto(BASE_URL())
  await expect(page.getByTestId('boards-on-device')).toContainText('Checkout architecture')
  await shot(page, 'landing')
})

test('user guide screenshots, phone', async ({ browser }) => {
  const page = await (
    await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true })
  ).newPage()
  await newBoard(page)
  await askCopilot(page)
  await shot(page, 'phone-copilot')
  await page.getByRole('button', { name: 'Close the co-pilot' }).click()
  await page.evaluate(() => window.__drawbridge!.editor.user.updateUserPreferences({ colorScheme: 'dark' }))
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  await expect(page.getByRole('dialog', { name: 'Share this board' })).toBeVisible()
  await shot(page, 'phone-dark-share')
})
