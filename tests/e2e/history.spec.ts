/**
 * Version history in the browser: save a named version, preview it read-only, restore it — both
 * people converge on it — and undo the restore.
 */

import { addRectangles, createRoom, openBoard, shapesOn } from './support/board'
import { expect, test } from './support/test'

const texts = async (page: Parameters<typeof shapesOn>[0]) =>
  (await shapesOn(page)).map((shape) => shape.text.match(/"text":"([^"]*)"/)?.[1] ?? '').sort()

test('a saved version previews read-only, restores for everyone, and the restore can be undone', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const a = await (await browser.newContext()).newPage()
  const b = await (await browser.newContext()).newPage()
  // Everything the preview's editor loads (icons, fonts, translations) comes from our origin.
  const failedRequests: string[] = []
  a.on('requestfailed', (request) => failedRequests.push(request.url()))
  await openBoard(a, room.links.edit.id, 'Ada')
  await openBoard(b, room.links.edit.id, 'Ben')

  await addRectangles(a, ['v1 box'])
  await expect.poll(() => texts(b)).toEqual(['v1 box'])
  await a.getByRole('button', { name: 'History' }).click()
  await a.getByRole('button', { name: 'Save version' }).click()
  // The name is asked in the app's own dialog (no window.prompt); Enter saves.
  const saveDialog = a.getByRole('dialog', { name: 'Save a version' })
  await saveDialog.getByLabel('Version name').fill('Before the workshop')
  await saveDialog.getByLabel('Version name').press('Enter')
  await expect(saveDialog).toHaveCount(0)
  await expect(a.getByRole('button', { name: /^Before the workshop —/ })).toBeVisible()
  await a.keyboard.press('Escape') // closes the History dialog
  await expect(a.getByRole('dialog', { name: 'Version history' })).toHaveCount(0)

  await addRectangles(a, ['after v1'])
  await expect.poll(() => texts(b)).toEqual(['after v1', 'v1 box'])

  await a.getByRole('button', { name: 'History' }).click()
  await a.getByRole('button', { name: /^Before the workshop —/ }).click()
  const preview = a.getByTestId('version-preview')
  await expect(preview).toBeVisible()
  await expect(preview.getByText('v1 box').first()).toBeVisible()
  await expect(preview.getByText('after v1')).toHaveCount(0)
  await a.screenshot({ path: testInfo.outputPath('preview.png') })
  expect(failedRequests).toEqual([])

  await a.getByRole('button', { name: 'Restore this version' }).click()
  await expect(preview).toHaveCount(0)
  for (const page of [a, b]) await expect.poll(() => texts(page)).toEqual(['v1 box'])

  await a.getByRole('button', { name: 'Undo — Ctrl + Z' }).click()
  for (const page of [a, b]) await expect.poll(() => texts(page)).toEqual(['after v1', 'v1 box'])
  await b.screenshot({ path: testInfo.outputPath('after-undo.png') })
})
