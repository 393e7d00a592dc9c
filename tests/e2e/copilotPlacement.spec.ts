/**
 * The co-pilot draws where the person is looking (issue 18): far from the origin, a Mermaid
 * flowchart sent from the panel lands inside the requester's view, on none of the shapes already
 * there; when the view has no room for it, it lands beside the view and the camera moves to show
 * it. The co-pilot's cursor shows while it draws, and the chat names the person by their presence
 * name. At desktop and phone size; screenshots are kept in the test's output.
 */
import type { Page } from '@playwright/test'
import { createRoom, openBoard } from './support/board'
import { expect, test } from './support/test'

interface Box {
  x: number
  y: number
  w: number
  h: number
}

const FLOWCHART = [
  'graph LR',
  '  A[Sign up] --> B{Verified?}',
  '  B -->|yes| C[Pay]',
  '  B -->|no| D[Resend]',
]

declare global {
  interface Window {
    __sawCopilotCursor?: boolean
  }
}

/** Pans far from the origin and returns the view's page bounds there. */
async function panFarAway(page: Page): Promise<Box> {
  await page.evaluate(() => window.__drawbridge!.editor.setCamera?.({ x: -48_000, y: -36_000, z: 1 }))
  return page.evaluate(() => window.__drawbridge!.editor.getViewportPageBounds!())
}

/** Adds rectangles (page coordinates) as the person's own shapes; returns their ids. */
function addBoxes(page: Page, boxes: Box[]): Promise<string[]> {
  return page.evaluate((list) => {
    const editor = window.__drawbridge!.editor
    const before = new Set(editor.getCurrentPageShapes().map((shape) => shape.id))
    for (const box of list) {
      editor.createShape({ type: 'geo', x: box.x, y: box.y, props: { w: box.w, h: box.h, fill: 'semi' } })
    }
    return editor
      .getCurrentPageShapes()
      .map((shape) => shape.id)
      .filter((id) => !before.has(id))
  }, boxes)
}

/** Page bounds of every shape the co-pilot drew (their ids carry the job: `shape:ai…`). */
function drawnBoxes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const editor = window.__drawbridge!.editor
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.id.startsWith('shape:ai'))
      .map((shape) => editor.getShapePageBounds!(shape.id)!)
  })
}

function boxesOf(page: Page, ids: string[]): Promise<Box[]> {
  return page.evaluate((list) => list.map((id) => window.__drawbridge!.editor.getShapePageBounds!(id)!), ids)
}

const inside = (outer: Box, inner: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.w <= outer.x + outer.w + 0.5 &&
  inner.y + inner.h <= outer.y + outer.h + 0.5

const apart = (a: Box, b: Box) => a.x >= b.x + b.w || b.x >= a.x + a.w || a.y >= b.y + b.h || b.y >= a.y + a.h

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

async function sendFlowchart(page: Page): Promise<void> {
  await page.getByTestId('copilot-toggle').click()
  await page.getByLabel('Ask the co-pilot').fill(FLOWCHART.join('\n'))
  await page.getByTestId('copilot-send').click()
  await expect(page.getByTestId('copilot-job')).toHaveText(/^Done — \d+ shapes drawn$/, { timeout: 30_000 })
}

for (const size of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`far from the origin, a flowchart from the panel lands in the requester's view, on nothing (${size.name})`, async ({
    browser,
  }, testInfo) => {
    const room = await createRoom()
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height } })
    const page = await context.newPage()
    await openBoard(page, room.links.edit.id)
    const view = await panFarAway(page)
    // Someone's shapes in the middle of the view, where a drawing would go first.
    const mine = await addBoxes(page, [
      { x: view.x + view.w / 2 - 120, y: view.y + view.h / 2 - 90, w: 240, h: 180 },
      { x: view.x + 30, y: view.y + 30, w: 120, h: 80 },
    ])
    const existing = await boxesOf(page, mine)
    await watchForCopilotCursor(page)

    await sendFlowchart(page)
    await expect.poll(async () => (await drawnBoxes(page)).length).toBe(7)
    // Where the view had no room (a phone's, under the panel), the camera glides to the drawing
    // (an animation of a third of a second): what counts is where it comes to rest.
    const viewport = () => page.evaluate(() => window.__drawbridge!.editor.getViewportPageBounds!())
    await expect
      .poll(async () => {
        const [seen, boxes] = [await viewport(), await drawnBoxes(page)]
        return boxes.every((box) => inside(seen, box))
      })
      .toBe(true)
    const drawn = await drawnBoxes(page)
    const seen = await viewport()
    for (const box of drawn) {
      expect(inside(seen, box), `${JSON.stringify(box)} inside the view ${JSON.stringify(seen)}`).toBe(true)
      for (const other of existing) expect(apart(box, other), 'no drawn shape on an existing one').toBe(true)
    }
    expect(await page.evaluate(() => window.__sawCopilotCursor)).toBe(true)

    // The chat names the person as everyone sees them, not "Someone".
    const name = await page.evaluate(() => window.__drawbridge!.editor.user.getName!())
    expect(name).not.toBe('')
    const prompt = page.getByTestId('copilot-message').and(page.locator('[data-kind="human"]'))
    await expect(prompt.locator('.copilot-author')).toHaveText(name)
    await page.screenshot({ path: testInfo.outputPath(`copilot-panel-${size.name}.png`) })
    await page.getByTestId('copilot-toggle').click()
    await page.screenshot({ path: testInfo.outputPath(`copilot-drawing-${size.name}.png`) })
    await context.close()
  })
}

test('when the view has no room, the drawing goes beside it and the camera moves to show it', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await openBoard(page, room.links.edit.id)
  const view = await panFarAway(page)
  // One shape covering the whole view: nowhere inside it is free.
  const [cover] = await addBoxes(page, [{ x: view.x - 10, y: view.y - 10, w: view.w + 20, h: view.h + 20 }])
  const [covered] = await boxesOf(page, [cover!])
  const cameraBefore = await page.evaluate(() => window.__drawbridge!.editor.getCamera!())

  await sendFlowchart(page)
  await expect.poll(async () => (await drawnBoxes(page)).length).toBe(7)
  const drawn = await drawnBoxes(page)
  for (const box of drawn) expect(apart(box, covered!)).toBe(true)
  // The camera moved so all of it is in view.
  await expect
    .poll(async () => {
      const seen = await page.evaluate(() => window.__drawbridge!.editor.getViewportPageBounds!())
      return drawn.every((box) => inside(seen, box))
    })
    .toBe(true)
  const cameraAfter = await page.evaluate(() => window.__drawbridge!.editor.getCamera!())
  expect(cameraAfter).not.toEqual(cameraBefore)
  await page.screenshot({ path: testInfo.outputPath('copilot-camera-moved.png') })
  await context.close()
})

test('a free-form prompt without a model ends with why nothing was drawn, and no "Undo this"', async ({
  browser,
}) => {
  const room = await createRoom()
  const page = await (await browser.newContext()).newPage()
  await openBoard(page, room.links.edit.id)
  await page.getByTestId('copilot-toggle').click()
  await page.getByLabel('Ask the co-pilot').fill('draw our checkout flow')
  await page.getByTestId('copilot-send').click()
  await expect(page.getByTestId('copilot-job')).toHaveText(
    'Nothing drawn — that needs a model (see the chat)',
  )
  const reply = page.getByTestId('copilot-message').and(page.locator('[data-kind="ai"]'))
  await expect(reply).toContainText("Ask the board's owner to connect one")
  await expect(reply).toContainText('paste a Mermaid flowchart instead')
  await expect(reply).not.toContainText('OPENAI')
  await expect(reply.getByTestId('copilot-undo')).toHaveCount(0)
  await page.getByTestId('copilot-message').first().locator('.copilot-author').waitFor()
  await expect(page.getByTestId('copilot-message').first().locator('.copilot-author')).not.toHaveText(
    'Someone',
  )
})
