/**
 * Accessibility of the app's own UI with axe: the landing page, and the board with each of the
 * app's panels open (Co-pilot, History, Save version, Share), in light and dark. No serious or
 * critical violations. tldraw's canvas (shapes, cursors) is tldraw's own and left out.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { BASE_URL } from './support/board'
import { expect, test } from './support/test'
import './support/testHook'

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).exclude('.tl-canvas').analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
}

test('the landing page and the board with each panel open have no serious accessibility violations', async ({
  page,
}) => {
  await page.goto(BASE_URL())
  await expect(page.getByRole('button', { name: 'New board' })).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])

  // The owner's board (Share then holds every control).
  await page.getByRole('button', { name: 'New board' }).click()
  await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  for (const scheme of ['light', 'dark'] as const) {
    await page.evaluate(
      (colorScheme) => window.__drawbridge!.editor.user.updateUserPreferences({ colorScheme }),
      scheme,
    )
    expect(await seriousViolations(page), `board (${scheme})`).toEqual([])

    await page.getByTestId('copilot-toggle').click()
    await expect(page.getByTestId('copilot-panel')).toBeVisible()
    expect(await seriousViolations(page), `co-pilot (${scheme})`).toEqual([])
    await page.getByRole('button', { name: 'Close the co-pilot' }).click()

    await page.getByRole('button', { name: 'History', exact: true }).click()
    await page.getByRole('button', { name: 'Save version' }).click()
    await expect(page.getByRole('dialog', { name: 'Save a version' })).toBeVisible()
    expect(await seriousViolations(page), `save version (${scheme})`).toEqual([])
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog')).toHaveCount(0)

    await page.getByRole('button', { name: 'Share', exact: true }).click()
    await expect(
      page.getByRole('dialog', { name: 'Share this board' }).getByLabel('View only link', { exact: true }),
    ).toBeVisible()
    expect(await seriousViolations(page), `share (${scheme})`).toEqual([])
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog')).toHaveCount(0)
  }
})
