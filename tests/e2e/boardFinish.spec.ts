/**
 * The finish of the app around the canvas (issue 19), as people see it: a board's name on the
 * board, in the tab and on the landing page, live for a second person; one connection state and a
 * people list (with a co-pilot while it works); Share and History as the editor's own dialogs
 * (Escape closes, no window.prompt, no accounts UI without accounts, no 403 for a non-owner);
 * dark mode reaching the app's panels; a fresh session without console errors or failed requests.
 */
import type { Page } from '@playwright/test'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { BASE_URL, createRoom, openBoard } from './support/board'
import { expect, test } from './support/test'
import './support/testHook'

/** Console errors, failed requests and HTTP errors a page produced: what a person's devtools would show. */
function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  )
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  return problems
}

/** The names in tldraw's people menu, opened from its avatars. */
async function peopleListed(page: Page): Promise<string[]> {
  await page.locator('.tlui-people-menu__avatars-button').click()
  const names = page.locator('.tlui-people-menu__name')
  await expect(names.first()).toBeVisible()
  const listed = await names.allTextContents()
  await page.keyboard.press('Escape')
  return listed
}

test('a board is named for everyone: on the board, in the tab, in Share and on the landing page', async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage()
  const ownerProblems = watchProblems(owner)
  await owner.goto(BASE_URL())
  await owner.getByRole('button', { name: 'New board' }).click()
  await owner.waitForURL(/\/r\/[A-Za-z0-9_-]+$/)
  await owner.waitForFunction(() => window.__drawbridge?.editor !== undefined)
  // A readable default name, dated, instead of "Untitled".
  await expect(owner.getByTestId('board-title')).toHaveText(/^Board — \d{1,2} [A-Z][a-z]{2}$/)

  const guest = await (await browser.newContext()).newPage()
  const guestProblems = watchProblems(guest)
  await openBoard(guest, owner.url().split('/r/')[1]!, 'Ben')

  // The owner renames it in place; the guest sees the new name at once, on the board and in the tab.
  await owner.getByTestId('board-title').click()
  await owner.getByTestId('board-title-input').fill('Checkout flow')
  await owner.getByTestId('board-title-input').press('Enter')
  await expect(guest.getByTestId('board-title')).toHaveText('Checkout flow')
  await expect(guest).toHaveTitle('Checkout flow — Drawbridge')
  await expect(owner).toHaveTitle('Checkout flow — Drawbridge')
  // The guest cannot rename: the name is text, not a button.
  await expect(guest.getByRole('button', { name: /Board name/ })).toHaveCount(0)

  // Reopening Share shows the name; without accounts there is no "Private" and no email invite.
  await owner.getByRole('button', { name: 'Share' }).click()
  const share = owner.getByRole('dialog', { name: 'Share this board' })
  await expect(share.getByLabel('Board name')).toHaveValue('Checkout flow')
  await expect(share.getByText('Private')).toHaveCount(0)
  await expect(share.getByRole('button', { name: 'Invite' })).toHaveCount(0)
  await owner.keyboard.press('Escape')
  await expect(share).toHaveCount(0)

  // A person who is not the owner opens Share: their own link, and no call to owner-only routes.
  await guest.getByRole('button', { name: 'Share' }).click()
  await expect(
    guest.getByRole('dialog', { name: 'Share this board' }).getByLabel('Can edit link'),
  ).toBeVisible()
  await guest.keyboard.press('Escape')

  // The landing page lists the board by its name, with when it was last opened.
  await guest.goto(BASE_URL())
  const listed = guest.getByTestId('boards-on-device').getByRole('listitem')
  await expect(listed).toHaveCount(1)
  await expect(listed.getByRole('link')).toHaveText('Checkout flow')
  await expect(listed).toContainText('opened just now')
  await expect(guest).toHaveTitle('Drawbridge')

  expect(ownerProblems).toEqual([])
  expect(guestProblems).toEqual([])
})

test('two people see one connection state and each other in the people list, and the co-pilot while it works', async ({
  browser,
}) => {
  const room = await createRoom()
  const ada = await (await browser.newContext()).newPage()
  const ben = await (await browser.newContext()).newPage()
  await openBoard(ada, room.links.edit.id, 'Ada')
  await openBoard(ben, room.links.edit.id, 'Ben')

  for (const page of [ada, ben]) {
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected')
    await expect(page.locator('.tlui-offline-indicator')).toHaveCount(0)
    await expect(page.getByText(/offline/i)).toHaveCount(0)
  }
  await expect.poll(() => peopleListed(ada)).toContain('Ben')
  await expect.poll(() => peopleListed(ben)).toContain('Ada')

  // A co-pilot joins as a y-websocket peer (as the agent does while it works) and leaves again.
  const copilot = new WebsocketProvider(
    `${BASE_URL().replace(/^http/, 'ws')}/yjs`,
    room.links.edit.id,
    new Y.Doc(),
    {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    },
  )
  copilot.awareness.setLocalState({
    user: { id: 'user:copilot-e2e', name: 'Co-pilot', color: '#7c3aed', kind: 'ai' },
    cursor: { x: 200, y: 200 },
    pageId: 'page:page',
    selection: [],
  })
  try {
    await expect.poll(() => peopleListed(ada)).toContain('Co-pilot')
  } finally {
    copilot.destroy()
  }
  await expect.poll(() => peopleListed(ada)).not.toContain('Co-pilot')
})

test("dark mode reaches the app's panels, and Escape closes each of them", async ({ page }) => {
  const room = await createRoom()
  await openBoard(page, room.links.edit.id, 'Ada')
  await page.evaluate(() => window.__drawbridge!.editor.user.updateUserPreferences({ colorScheme: 'dark' }))

  /** Relative luminance (0 black – 1 white) of an element's computed background colour. */
  const luminance = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((element) => {
        const [r, g, b] = getComputedStyle(element)
          .backgroundColor.match(/[\d.]+/g)!
          .map(Number)
        return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255
      })

  await page.getByTestId('copilot-toggle').click()
  await expect(page.getByTestId('copilot-panel')).toBeVisible()
  expect(await luminance('[data-testid="copilot-panel"]')).toBeLessThan(0.3)
  await page.getByLabel('Ask the co-pilot').click()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('copilot-panel')).toHaveCount(0)

  for (const [button, dialog] of [
    ['History', 'Version history'],
    ['Share', 'Share this board'],
  ] as const) {
    await page.getByRole('button', { name: button, exact: true }).click()
    await expect(page.getByRole('dialog', { name: dialog })).toBeVisible()
    expect(await luminance('.tlui-dialog__content')).toBeLessThan(0.3)
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog', { name: dialog })).toHaveCount(0)
  }
  expect(await luminance('[data-testid="share-button"]')).toBeLessThan(0.6) // tldraw's primary blue, not white
  expect(await luminance('[data-testid="history-button"]')).toBeLessThan(0.3)
  expect(await luminance('[data-testid="connection-status"]')).toBeLessThan(0.3)
})
