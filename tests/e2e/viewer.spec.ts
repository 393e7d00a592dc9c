/** Scenario 2: a view link opens read-only, says so, and nothing it tries reaches the board. */

import { addRectangles, createRoom, openBoard, shapesOn } from './support/board'
import { expect, test } from './support/test'

test('a view link is read-only and its attempts never reach the document', async ({ browser }, testInfo) => {
  const room = await createRoom()
  const editor = await (await browser.newContext()).newPage()
  const viewer = await (await browser.newContext()).newPage()
  await openBoard(editor, room.links.edit.id, 'Editor')
  await openBoard(viewer, room.links.view.id, 'Viewer')

  await expect(viewer.getByTestId('view-only-badge')).toBeVisible()
  expect(await viewer.evaluate(() => window.__drawbridge!.editor.getInstanceState().isReadonly)).toBe(true)

  // The viewer tries the rectangle tool...
  await viewer.keyboard.press('r')
  await viewer.mouse.move(300, 300)
  await viewer.mouse.down()
  await viewer.mouse.move(450, 400, { steps: 5 })
  await viewer.mouse.up()
  // ...and, like a modified client would, writes straight into its own editor.
  await viewer.evaluate(() => {
    const editor = window.__drawbridge!.editor
    editor.updateInstanceState({ isReadonly: false })
    editor.createShape({ type: 'geo', x: 0, y: 0, props: { w: 50, h: 50 } })
  })

  // The editor's later edit arrives at the viewer; the viewer's never arrives anywhere.
  await addRectangles(editor, ['from the editor'])
  await expect
    .poll(async () => (await shapesOn(viewer)).some((s) => s.text.includes('from the editor')))
    .toBe(true)
  const fresh = await (await browser.newContext()).newPage()
  await openBoard(fresh, room.links.edit.id)
  await expect.poll(async () => (await shapesOn(fresh)).length).toBe(1)
  expect((await shapesOn(editor)).length).toBe(1)

  await viewer.screenshot({ path: testInfo.outputPath('viewer.png') })
})
