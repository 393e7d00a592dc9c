/** draw.io from the UI: export a board from the main menu, import the file into another board, undo it. */
import { readFile } from 'node:fs/promises'
import { addRectangles, createRoom, openBoard, shapesOn } from './support/board'
import { expect, test } from './support/test'

test('a board exports to draw.io from the menu and imports into another board as one undoable change', async ({
  browser,
}, testInfo) => {
  const source = await createRoom()
  const target = await createRoom()
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage()
  await openBoard(page, source.links.edit.id)
  await addRectangles(page, ['Cart', 'Pay'])

  await page.getByRole('button', { name: 'Menu' }).click()
  const downloading = page.waitForEvent('download')
  await page.getByRole('menuitem', { name: 'Export as draw.io (.drawio)' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/\.drawio$/)
  const file = testInfo.outputPath('board.drawio')
  await download.saveAs(file)
  const xml = await readFile(file, 'utf8')
  expect(xml).toMatch(/^<mxfile/)
  expect(xml.match(/vertex="1"/g)?.length).toBe(2)

  await openBoard(page, target.links.edit.id)
  await page.getByRole('button', { name: 'Menu' }).click()
  const choosing = page.waitForEvent('filechooser')
  await page.getByRole('menuitem', { name: 'Import draw.io file…' }).click()
  await (await choosing).setFiles(file)
  await expect
    .poll(async () => (await shapesOn(page)).map((s) => s.text).join(' '))
    .toMatch(/Cart.*Pay|Pay.*Cart/)
  // Imported exactly once (the toast's text also sits in a screen-reader live region).
  await expect(page.getByText(/Imported board\.drawio/).first()).toBeVisible()
  expect((await shapesOn(page)).length).toBe(2)
  await page.screenshot({ path: testInfo.outputPath('imported.png') })

  // One undo takes the whole import back.
  await page.getByRole('button', { name: 'Undo — Ctrl + Z' }).click()
  await expect.poll(async () => (await shapesOn(page)).length).toBe(0)
})
