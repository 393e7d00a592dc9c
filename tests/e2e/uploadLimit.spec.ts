/**
 * A file over the server's MAX_ASSET_BYTES is refused in the browser before it is sent, and the
 * person is told the limit: a server limited to 1 MiB, a 2 MiB image dropped on the board.
 */

import { createTestDatabase } from '../integration/support/databases'
import { png } from '../integration/support/mediaFiles'
import { spawnServer } from '../integration/support/servers'
import { dropFile } from './support/drop'
import { expect, test } from './support/test'

const MIB = 1024 * 1024

test('a dropped file over the server limit is refused with the limit, and never uploaded', async ({
  page,
}) => {
  const database = await createTestDatabase('pglite')
  const server = await spawnServer(database, { MAX_ASSET_BYTES: String(MIB) })
  try {
    const room = (await (
      await fetch(`${server.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"Limits"}',
      })
    ).json()) as { links: { edit: { id: string } } }
    const uploads: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/assets')) uploads.push(request.url())
    })
    await page.goto(`${server.url}/r/${room.links.edit.id}`)
    await page.waitForFunction(() => window.__drawbridge?.editor !== undefined)

    // The limit comes from the server (GET /api/config), not tldraw's default of 10 MB.
    const bytes = png(900, 800, [0, 0, 0], 5) // noise: ≈ 2.1 MB
    expect(bytes.byteLength).toBeGreaterThan(2 * MIB)
    await dropFile(page, { name: 'holiday.png', mimeType: 'image/png', bytes })
    const toast = page.locator('.tlui-toast__main')
    await expect(toast).toContainText('File size is too big')
    await expect(toast).toContainText('Maximum file size is 1 MB')
    const images = await page.evaluate(
      () =>
        window.__drawbridge!.editor.getCurrentPageShapes().filter((shape) => shape.type === 'image').length,
    )
    expect(images).toBe(0)
    expect(uploads).toEqual([])
  } finally {
    server.child.kill('SIGTERM')
    await server.exited
    await database.drop()
  }
})
