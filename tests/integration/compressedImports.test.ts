/**
 * Deflate bombs sent to the import as an attacker would: a 4 MB `.drawio` whose diagram inflates to
 * 3 GiB, and `.drawio.png` files whose zTXt / iTXt chunk inflates to 512 MiB. Each is refused with
 * a message that says why, the board is untouched, and the server answers the next request.
 * (How fast, and at what memory cost, is `pnpm bench` → bombs.)
 */

import type { RunningServer } from '@drawbridge/server'
import { readRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { drawioBomb, drawioPngBomb } from './support/deflateBombs'
import { startTestServer } from './support/servers'

describe.each(BACKENDS)('compressed imports are inflated in bounded steps (%s)', (backend) => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  async function importRefused(body: string | Uint8Array): Promise<string> {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const before = readRecords(editor.doc).size
    const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/import`, {
      method: 'POST',
      body: typeof body === 'string' ? body : Buffer.from(body),
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: string }
    // Still serving, and nothing of the file reached the board.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect(readRecords(editor.doc).size).toBe(before)
    destroyAll([editor])
    return error
  }

  it('a .drawio of 4 MB that inflates to 3 GiB is refused with a clear message', async () => {
    const file = drawioBomb(3 * 1024)
    expect(file.length).toBeLessThan(5 * 1024 * 1024)
    expect(await importRefused(file)).toBe(
      'This file cannot be imported: compressed data inflates past the size limit',
    )
  })

  it.each(['zTXt', 'iTXt'] as const)(
    'a .drawio.png whose %s chunk inflates to 512 MiB is refused',
    async (chunk) => {
      expect(await importRefused(drawioPngBomb(chunk, 512))).toBe(
        'This file cannot be imported: compressed data inflates past the size limit',
      )
    },
  )
})
