/**
 * A draw.io export reads only the files its output draws: exporting one page of a board whose
 * other page holds a large image (and which keeps a large file no shape uses any more) embeds the
 * small image of that page and reads nothing else — observed through the server's
 * `drawbridge_export_asset_bytes_read_total` and the file itself.
 */

import type { RunningServer } from '@drawbridge/server'
import {
  buildPage,
  FIRST_PAGE_ID,
  getIndexAbove,
  openRecords,
  readRecords,
  type TLRecord,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { png } from './support/mediaFiles'
import { readMetric } from './support/metrics'
import { startTestServer } from './support/servers'

const READ_METRIC = 'drawbridge_export_asset_bytes_read_total'

function imageAsset(id: string, src: string, w: number, h: number): TLRecord {
  return {
    id,
    typeName: 'asset',
    type: 'image',
    props: { name: `${id}.png`, src, w, h, mimeType: 'image/png', isAnimated: false },
    meta: {},
  } as unknown as TLRecord
}

function imageShape(id: string, parentId: string, assetId: string): TLRecord {
  return {
    id,
    typeName: 'shape',
    type: 'image',
    x: 0,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      w: 100,
      h: 100,
      playing: true,
      url: '',
      assetId,
      crop: null,
      flipX: false,
      flipY: false,
      altText: '',
    },
  } as unknown as TLRecord
}

describe('the draw.io export reads only the files it draws', () => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database)
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('one page of a board with a large image elsewhere and an unused large file', async () => {
    const room = await createRoom(server.url, 'Pictures')
    const upload = async (bytes: Uint8Array) => {
      const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
        method: 'POST',
        body: Buffer.from(bytes),
      })
      expect(response.status).toBe(201)
      return ((await response.json()) as { url: string }).url
    }
    const small = png(30, 20, [250, 200, 0])
    const large = png(900, 900, [0, 0, 0], 7) // noise: ≈ 2.4 MB that does not compress away
    const unused = png(900, 900, [0, 0, 0], 11)
    const [smallUrl, largeUrl, unusedUrl] = [await upload(small), await upload(large), await upload(unused)]
    const second = buildPage({ name: 'Photos', index: getIndexAbove('a1' as never) })
    const records = [
      imageAsset('asset:small', smallUrl, 30, 20),
      imageShape('shape:small', FIRST_PAGE_ID, 'asset:small'),
      second,
      imageAsset('asset:large', largeUrl, 900, 900),
      imageShape('shape:large', second.id, 'asset:large'),
      imageAsset('asset:unused', unusedUrl, 900, 900), // its shape was deleted
    ]
    const editor = await connectSynced(server.url, room.links.edit.id)
    editor.doc.transact(() => {
      for (const record of records) openRecords(editor.doc).set(record.id, record)
    })
    const check = await connectSynced(server.url, room.links.view.id)
    await waitFor(() => readRecords(check.doc).has('asset:unused'), 'the board is stored')
    destroyAll([editor, check])

    const exportOf = async (query: string) => {
      const before = await readMetric(server.url, READ_METRIC)
      const response = await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio${query}`)
      expect(response.status).toBe(200)
      const xml = await response.text()
      return { xml, bytesRead: (await readMetric(server.url, READ_METRIC)) - before }
    }

    const firstPage = await exportOf(`?page=${encodeURIComponent(FIRST_PAGE_ID)}`)
    expect(firstPage.xml).toContain(small.toString('base64'))
    expect(firstPage.xml.length).toBeLessThan(100_000)
    expect(firstPage.bytesRead).toBe(small.byteLength)

    const everything = await exportOf('')
    expect(everything.xml).toContain(large.toString('base64'))
    expect(everything.xml).not.toContain(unused.toString('base64').slice(0, 1000))
    expect(everything.bytesRead).toBe(small.byteLength + large.byteLength)
  })
})
