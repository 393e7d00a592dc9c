/** Scenario 1: two people on one edit link see each other's rectangle, its moves, and each other. */

import { addRectangles, BASE_URL, createRoom, openBoard, shapesOn } from './support/board'
import { expect, test } from './support/test'

test('a rectangle drawn and moved by one person appears and moves for the other, with their cursor', async ({
  browser,
}, testInfo) => {
  const room = await createRoom()
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  // Everything — fonts, icons, translations — is self-hosted: no request leaves the server's origin.
  const foreign: string[] = []
  for (const page of [alice, bob]) {
    page.on('request', (request) => {
      const url = request.url()
      if (!url.startsWith(BASE_URL()) && !/^(data|blob):/.test(url)) foreign.push(url)
    })
  }
  await openBoard(alice, room.links.edit.id, 'Alice')
  await openBoard(bob, room.links.edit.id, 'Bob')

  // Alice draws a rectangle with the rectangle tool and types a label.
  await alice.keyboard.press('r')
  await alice.mouse.move(400, 300)
  await alice.mouse.down()
  await alice.mouse.move(520, 380, { steps: 8 })
  await alice.mouse.up()
  await alice.keyboard.press('Enter')
  // Type once the label editor has focus (keys sent earlier would land before it mounts).
  await alice.waitForFunction(
    () => (document.activeElement as HTMLElement | null)?.isContentEditable === true,
  )
  await alice.keyboard.type('Checkout', { delay: 20 })
  await alice.keyboard.press('Escape')

  await expect.poll(async () => (await shapesOn(bob)).filter((s) => s.type === 'geo').length).toBe(1)
  await expect.poll(async () => (await shapesOn(bob))[0]?.text ?? '').toContain('Checkout')
  await expect(bob.getByTestId('canvas').getByText('Checkout').first()).toBeVisible()
  const before = (await shapesOn(bob))[0]!

  // Alice drags it 150 px to the right.
  await alice.keyboard.press('v')
  await alice.mouse.move(460, 340)
  await alice.mouse.down()
  await alice.mouse.move(610, 340, { steps: 10 })
  await alice.mouse.up()
  await expect.poll(async () => (await shapesOn(bob))[0]!.x - before.x).toBeGreaterThan(100)

  // Bob sees Alice's cursor with her name.
  await alice.mouse.move(700, 500, { steps: 5 })
  await alice.mouse.move(720, 520, { steps: 5 })
  await expect(bob.locator('.tl-nametag', { hasText: 'Alice' })).toBeVisible()

  // Undo touches only one's own changes: Bob adds a box, Alice undoes — her move goes, his box stays.
  await addRectangles(bob, ['from Bob'])
  await expect.poll(async () => (await shapesOn(alice)).some((s) => s.text.includes('from Bob'))).toBe(true)
  await alice.keyboard.press('Control+z')
  await expect
    .poll(async () => (await shapesOn(bob)).find((s) => s.text.includes('Checkout'))?.x)
    .toBe(before.x)
  expect((await shapesOn(bob)).some((s) => s.text.includes('from Bob'))).toBe(true)
  expect((await shapesOn(alice)).some((s) => s.text.includes('from Bob'))).toBe(true)

  expect(foreign).toEqual([])
  await bob.screenshot({ path: testInfo.outputPath('bob-sees-alice.png') })
})
