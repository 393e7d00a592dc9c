/**
 * The co-pilot from the UI (issue 7): a person types a Mermaid flowchart in the panel (no model is
 * configured in e2e, so the server's built-in planner draws it), sees the queue position and the
 * progress; a second person in the room sees the co-pilot's cursor and the shapes appear; both see
 * the conversation; a viewer reads it without a prompt box; the board's and the job's draw.io
 * exports hold the labels; "Undo this" takes the drawing away for everyone.
 */
import type { Page } from '@playwright/test'
import { BASE_URL, createRoom, openBoard } from './support/board'
import { expect, test } from './support/test'

const LABELS = ['Browser', 'API', 'DB']

declare global {
  interface Window {
    /** Set by the test: every distinct line the co-pilot status region showed, in order. */
    __copilotStatus?: string[]
    /** Set by the test: a remote cursor named "Co-pilot" was rendered on this page. */
    __sawCopilotCursor?: boolean
  }
}

/** Geo shapes on the current page with their kind and label text. */
function geoShapes(page: Page): Promise<Array<{ geo: string; text: string }>> {
  return page.evaluate(() =>
    window
      .__drawbridge!.editor.getCurrentPageShapes()
      .filter((shape) => shape.type === 'geo')
      .map((shape) => ({ geo: String(shape.props.geo), text: JSON.stringify(shape.props.richText ?? '') })),
  )
}

const arrowCount = (page: Page) =>
  page.evaluate(
    () => window.__drawbridge!.editor.getCurrentPageShapes().filter((shape) => shape.type === 'arrow').length,
  )

const labelsOn = async (page: Page) => {
  const shapes = await geoShapes(page)
  return LABELS.filter((label) => shapes.some((shape) => shape.text.includes(`"${label}"`)))
}

/** Records every text the status live region shows (the planner is quick: a line may last 100 ms). */
function recordStatus(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__copilotStatus = []
    const seen = window.__copilotStatus
    const read = () => {
      for (const line of Array.from(document.querySelectorAll('[data-testid="copilot-status"] p'))) {
        const text = line.textContent ?? ''
        if (text && seen[seen.length - 1] !== text) seen.push(text)
      }
    }
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
}

/** Watches for a rendered remote cursor whose name tag says "Co-pilot" (it only exists while it draws). */
function watchForCopilotCursor(page: Page): Promise<void> {
  return page.evaluate(() => {
    window.__sawCopilotCursor = false
    const check = () => {
      for (const tag of Array.from(document.querySelectorAll('.tl-nametag'))) {
        if (tag.textContent?.includes('Co-pilot')) window.__sawCopilotCursor = true
      }
    }
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    })
  })
}

test('a Mermaid flowchart typed in the co-pilot panel is drawn for everyone, exports to draw.io and undoes', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  const viewer = await (await browser.newContext()).newPage()
  await openBoard(alice, room.links.edit.id, 'Alice')
  await openBoard(bob, room.links.edit.id, 'Bob')
  await openBoard(viewer, room.links.view.id, 'Vera')

  // Bob looks at a wide area around the origin, where the co-pilot draws on an empty board.
  await bob.evaluate(() => {
    window.__drawbridge!.editor.setCamera?.({ x: 600, y: 400, z: 0.5 })
  })
  await watchForCopilotCursor(bob)

  // Alice opens the panel: the plan's quota is there before she asks.
  await alice.getByTestId('copilot-toggle').click()
  await expect(alice.getByTestId('copilot-panel')).toBeVisible()
  await expect(alice.getByTestId('copilot-quota')).toHaveText(
    /^\d+ of \d+ left this hour · \d+ of \d+ left today$/,
  )
  const quotaBefore = Number((await alice.getByTestId('copilot-quota').textContent())!.split(' ')[0])

  // She types the flowchart: Shift+Enter makes new lines, Enter sends.
  await recordStatus(alice)
  const prompt = alice.getByLabel('Ask the co-pilot')
  await prompt.click()
  const lines = ['graph LR', '  A[Browser] --> B{API}', '  B --> C((DB))']
  for (const [index, line] of lines.entries()) {
    await alice.keyboard.type(line)
    if (index < lines.length - 1) await alice.keyboard.press('Shift+Enter')
  }
  await expect(prompt).toHaveValue(lines.join('\n'))
  await alice.keyboard.press('Enter')
  await expect(prompt).toHaveValue('')

  // Alice sees where her request is, then its progress, then that it is done (all in the live region).
  await expect(alice.getByTestId('copilot-job')).toHaveText(/^Done — \d+ shapes drawn$/)
  const statusLines = await alice.evaluate(() => window.__copilotStatus ?? [])
  testInfo.annotations.push({ type: 'status lines', description: statusLines.join(' | ') })
  expect(statusLines.some((line) => /^Queued — (next in line|\d+ ahead of you)$/.test(line))).toBe(true)
  expect(statusLines.some((line) => /^Drawing…/.test(line) || /is drawing…$/.test(line))).toBe(true)
  await expect(alice.getByTestId('copilot-status')).toHaveAttribute('aria-live', 'polite')

  // Bob saw the co-pilot's cursor with its name while it drew, and has the shapes with their kinds.
  await expect.poll(() => labelsOn(bob)).toEqual(LABELS)
  expect(await bob.evaluate(() => window.__sawCopilotCursor)).toBe(true)
  const kinds = Object.fromEntries(
    (await geoShapes(bob)).map((shape) => [
      LABELS.find((label) => shape.text.includes(`"${label}"`)),
      shape.geo,
    ]),
  )
  expect(kinds).toEqual({ Browser: 'rectangle', API: 'diamond', DB: 'ellipse' })
  expect(await arrowCount(bob)).toBe(2)
  await expect.poll(() => labelsOn(alice)).toEqual(LABELS)

  // Both see the conversation: Alice's prompt and the co-pilot's reply with its export link.
  await bob.getByTestId('copilot-toggle').click()
  for (const page of [alice, bob]) {
    const messages = page.getByTestId('copilot-message')
    await expect(messages.filter({ hasText: 'A[Browser] --> B{API}' })).toHaveCount(1)
    const reply = messages.and(page.locator('[data-kind="ai"]'))
    await expect(reply).toHaveCount(1)
    await expect(reply).toContainText('Co-pilot')
    await expect(reply.getByTestId('copilot-undo')).toHaveText('Undo this')
    await expect(reply.getByTestId('copilot-export')).toHaveAttribute(
      'href',
      /^\/api\/ai\/jobs\/[^/]+\/export\.drawio$/,
    )
  }
  // A flowchart is drawn by the built-in planner: the plan's model quota is untouched.
  await expect(alice.getByTestId('copilot-quota')).toHaveText(
    new RegExp(`^${quotaBefore} of \\d+ left this hour`),
  )

  // A viewer reads the same conversation, with no prompt box and no undo.
  await viewer.getByTestId('copilot-toggle').click()
  await expect(viewer.getByTestId('copilot-message')).toHaveCount(2)
  await expect(viewer.getByTestId('copilot-view-only')).toBeVisible()
  await expect(viewer.getByTestId('copilot-prompt')).toHaveCount(0)
  await expect(viewer.getByTestId('copilot-undo')).toHaveCount(0)
  await expect(viewer.getByTestId('copilot-quota')).toHaveCount(0)

  // The board's draw.io export holds the drawing, and so does the job's own export.
  const board = await alice.request.get(`${BASE_URL()}/api/links/${room.links.edit.id}/export.drawio`)
  expect(board.status()).toBe(200)
  const boardXml = await board.text()
  for (const label of LABELS) expect(boardXml).toContain(label)
  const jobExport = await alice.getByTestId('copilot-export').first().getAttribute('href')
  const job = await alice.request.get(`${BASE_URL()}${jobExport}`, {
    headers: { 'x-link-id': room.links.edit.id },
  })
  expect(job.status()).toBe(200)
  const jobXml = await job.text()
  expect(jobXml).toMatch(/^<mxfile/)
  for (const label of LABELS) expect(jobXml).toContain(label)
  await bob.screenshot({ path: testInfo.outputPath('bob-sees-the-copilot-drawing.png') })
  await alice.screenshot({ path: testInfo.outputPath('alice-panel.png') })

  // "Undo this" takes the co-pilot's drawing away for both.
  const reply = alice.getByTestId('copilot-message').and(alice.locator('[data-kind="ai"]'))
  await reply.getByTestId('copilot-undo').click()
  await expect(reply).toContainText(/Undone — \d+ shapes removed/)
  for (const page of [alice, bob]) {
    await expect.poll(() => labelsOn(page)).toEqual([])
    await expect.poll(() => arrowCount(page)).toBe(0)
  }
})

test('a CSV edge list attached in the co-pilot panel becomes a diagram', async ({ browser }) => {
  const room = await createRoom()
  const page = await (await browser.newContext()).newPage()
  await openBoard(page, room.links.edit.id, 'Alice')
  await page.getByTestId('copilot-toggle').click()

  await page.getByTestId('copilot-file-input').setInputFiles({
    name: 'services.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('from,to,label\nWeb,Gateway,calls\nGateway,Orders,routes\n'),
  })
  await expect(page.getByTestId('copilot-attachment')).toContainText('services.csv')
  await page.getByTestId('copilot-send').click()
  // The attachment is sent once and cleared; the prompt box is free for the next request.
  await expect(page.getByTestId('copilot-attachment')).toHaveCount(0)
  await expect(page.getByTestId('copilot-job')).toHaveText(/^Done — \d+ shapes drawn$/)

  const labels = await geoShapes(page)
  for (const label of ['Web', 'Gateway', 'Orders']) {
    expect(labels.some((shape) => shape.text.includes(`"${label}"`))).toBe(true)
  }
  expect(await arrowCount(page)).toBe(2)
})
