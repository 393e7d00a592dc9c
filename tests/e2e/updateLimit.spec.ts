/**
 * A change over the server's MAX_UPDATE_BYTES (a server limited to 16 KiB here): the browser
 * refuses its own before sending it — the shape goes, a toast says why, the socket stays open and
 * the next edit reaches the other person. An oversized update that still reaches the server (an
 * older client) is closed with 4413 once: the browser drops its copy, reopens the board from the
 * server and keeps syncing, instead of sending the same update on every reconnect.
 */
import { CloseCode, describeCloseCode } from '@drawbridge/shared'
import type { Browser, Page } from '@playwright/test'
import { createTestDatabase, type TestDatabase } from '../integration/support/databases'
import { type ServerProcess, spawnServer } from '../integration/support/servers'
import { addRectangles, shapesOn } from './support/board'
import { expect, test } from './support/test'

const LIMIT = 16 * 1024
const MESSAGE = describeCloseCode(CloseCode.UpdateTooLarge)

let database: TestDatabase
let server: ServerProcess

test.beforeAll(async () => {
  database = await createTestDatabase('pglite')
  server = await spawnServer(database, { MAX_UPDATE_BYTES: String(LIMIT) })
})

test.afterAll(async () => {
  server?.child.kill('SIGTERM')
  await server?.exited
  await database?.drop()
})

/** Two people on a new board; `closes` lists the first one's sockets that closed. */
async function twoPeople(browser: Browser) {
  const response = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"title":"Limits"}',
  })
  const room = (await response.json()) as { links: { edit: { id: string } } }
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  const closes: string[] = []
  alice.on('websocket', (socket) => {
    socket.on('close', () => closes.push(socket.url()))
  })
  for (const page of [alice, bob]) {
    await page.goto(`${server.url}/r/${room.links.edit.id}`)
    await waitConnected(page)
  }
  return { alice, bob, closes }
}

function waitConnected(page: Page) {
  return page.waitForFunction(
    () =>
      window.__drawbridge?.waiting() === 0 &&
      window.__drawbridge.connection.getSnapshot().status === 'connected',
  )
}

test('a change over the limit is refused before it is sent; the board keeps syncing', async ({ browser }) => {
  const { alice, bob, closes } = await twoPeople(browser)

  await addRectangles(alice, ['word '.repeat(LIMIT / 2)])
  await expect(alice.locator('.tlui-toast__main')).toContainText(MESSAGE)
  expect(await shapesOn(alice)).toEqual([])

  await addRectangles(alice, ['small one'])
  await expect
    .poll(async () => (await shapesOn(bob)).map((shape) => shape.text).join())
    .toContain('small one')
  expect(await shapesOn(bob)).toHaveLength(1)
  expect(closes).toEqual([])
  expect(await alice.evaluate(() => window.__drawbridge!.connection.getSnapshot().status)).toBe('connected')
})

test('an oversized update that reaches the server is closed once; the board reopens and syncs', async ({
  browser,
}) => {
  const { alice, bob, closes } = await twoPeople(browser)

  // What a client without the check would send: one update over the limit, straight into the doc.
  await alice.evaluate((size) => {
    const doc = window.__drawbridge!.connection.doc
    doc.transact(() => doc.getArray('records').push([{ key: 'shape:huge', val: { text: 'y'.repeat(size) } }]))
  }, 2 * LIMIT)
  await expect(alice.locator('.tlui-toast__main')).toContainText(MESSAGE)
  await alice.waitForFunction(
    () =>
      window.__drawbridge?.connection.getSnapshot().status === 'connected' &&
      !window.__drawbridge.connection.doc
        .getArray('records')
        .toArray()
        .some((entry) => (entry as { key?: string }).key === 'shape:huge'),
  )

  await addRectangles(alice, ['after the reset'])
  await expect
    .poll(async () => (await shapesOn(bob)).map((shape) => shape.text).join())
    .toContain('after the reset')
  // One socket closed (by the server, 4413), then no reconnect loop.
  await alice.waitForTimeout(1_500)
  expect(closes).toHaveLength(1)
})
