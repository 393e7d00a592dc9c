/**
 * draw.io on the API: a board exports as an mxfile (plain and compressed) that imports back into
 * another board with its shapes and bound arrows; hostile or wrong input changes nothing.
 */

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { RunningServer } from '@drawbridge/server'
import {
  boundsOf,
  buildBoundArrow,
  buildGeoShape,
  decompressDiagram,
  getIndices,
  openRecords,
  readRecords,
} from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

describe('draw.io export and import on the API', () => {
  let database: TestDatabase
  let server: RunningServer
  const importInto = (linkId: string, body: string | Uint8Array) =>
    fetch(`${server.url}/api/links/${linkId}/import`, {
      method: 'POST',
      body: typeof body === 'string' ? body : Buffer.from(body),
    })

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    // Files above 8 KiB are refused by the asset store: fidelity.drawio's 10 KB image is one.
    server = await startTestServer(database, { MAX_IMPORT_BYTES: '200000', MAX_ASSET_BYTES: '8192' })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  async function boardWithFlow() {
    const room = await createRoom(server.url, 'Checkout flow')
    const editor = await connectSynced(server.url, room.links.edit.id)
    const [i1, i2, i3] = getIndices(3)
    const cart = buildGeoShape({
      x: 0,
      y: 0,
      w: 120,
      h: 60,
      text: 'Cart',
      index: i1!,
      color: 'blue',
      fill: 'solid',
    })
    const pay = buildGeoShape({ x: 300, y: 0, w: 120, h: 60, text: 'Pay', index: i2!, geo: 'diamond' })
    const arrow = buildBoundArrow({
      from: { id: cart.id, x: 120, y: 30 },
      to: { id: pay.id, x: 300, y: 30 },
      index: i3!,
      text: 'next',
    })
    editor.doc.transact(() => {
      for (const record of [cart, pay, ...arrow]) openRecords(editor.doc).set(record.id, record)
    })
    const check = await connectSynced(server.url, room.links.view.id)
    await waitFor(() => readRecords(check.doc).size === 7, 'the board is stored')
    destroyAll([editor, check])
    return room
  }

  it('exports every page as an mxfile, for viewers too, plain or compressed', async () => {
    const room = await boardWithFlow()
    const plain = await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio`)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('content-type')).toMatch(/application\/vnd\.jgraph\.mxfile/)
    expect(plain.headers.get('content-disposition')).toMatch(/Checkout flow\.drawio/)
    const xml = await plain.text()
    expect(xml).toMatch(/^<mxfile/)
    expect(xml.match(/vertex="1"/g)?.length).toBe(2)
    expect(xml).toMatch(
      /edge="1"[^>]*source="[^"]+"[^>]*target="[^"]+"|source="[^"]+"[^>]*target="[^"]+"[^>]*edge="1"/,
    )
    expect(xml).toContain('Cart')

    const compressed = await (
      await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio?compressed=1`)
    ).text()
    const diagramText = compressed.match(/<diagram[^>]*>([^<]+)<\/diagram>/)?.[1]
    expect(diagramText).toBeDefined()
    const decoded = decompressDiagram(diagramText!, 10_000_000)
    expect(decoded.ok && decoded.text).toMatch(/<mxGraphModel/)

    expect(
      (await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio?page=page:nope`)).status,
    ).toBe(404)
  })

  it('imports an exported file into another board next to what is there, twice without clashes', async () => {
    const source = await boardWithFlow()
    const xml = await (await fetch(`${server.url}/api/links/${source.links.view.id}/export.drawio`)).text()
    const target = await createRoom(server.url)
    const first = await importInto(target.links.edit.id, xml)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ shapes: 2, edges: 1 })
    expect((await importInto(target.links.edit.id, xml)).status).toBe(200)

    const client = await connectSynced(server.url, target.links.view.id)
    const records = [...readRecords(client.doc).values()]
    const geos = records.filter((record) => record.typeName === 'shape' && record.type === 'geo')
    const arrows = records.filter((record) => record.typeName === 'shape' && record.type === 'arrow')
    const bindings = records.filter((record) => record.typeName === 'binding')
    expect(geos).toHaveLength(4)
    expect(arrows).toHaveLength(2)
    expect(bindings).toHaveLength(4)
    expect(new Set(geos.map((geo) => geo.id)).size).toBe(4)
    // The second copy landed beside the first, not on top of it.
    const xs = geos.map((geo) => (geo as { x: number }).x).sort((a, b) => a - b)
    expect(xs.at(-1)! - xs[0]!).toBeGreaterThan(400)
    destroyAll([client])
  })

  it('stores embedded images as board assets, puts an oversized one as a placeholder, and places the diagram beside the board', async () => {
    const room = await boardWithFlow()
    const fidelity = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'drawio', 'fidelity.drawio'))
    const response = await importInto(room.links.edit.id, fidelity)
    expect(response.status).toBe(200)
    const reply = (await response.json()) as {
      shapes: number
      images: number
      skippedItems: Array<{ reason: string }>
      bounds: { x: number; y: number }
    }
    // The file's cells start left of and above 0,0; its top-left lands right of the board's content.
    expect(reply.bounds).toMatchObject({ x: 420 + 120, y: 0 })
    // Its inline stencil (a style over the limit) is said too; both cells still import.
    expect(reply.skippedItems.map((item) => item.reason)).toEqual([
      'Style of 10,729 characters (over the 10,000 limit) shortened: left out shape',
      'Image not imported: 11 KiB is over the 8 KiB limit',
    ])
    expect(reply.images).toBe(0)

    const small = `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="i" style="shape=image;image=data:image/png,${tinyPng().toString('base64')};" vertex="1" parent="1"><mxGeometry x="-50" y="-50" width="40" height="40" as="geometry"/></mxCell></root></mxGraphModel>`
    const second = await importInto(room.links.edit.id, small)
    expect(second.status).toBe(200)
    expect(await second.json()).toMatchObject({ images: 1, skippedItems: [] })

    const client = await connectSynced(server.url, room.links.view.id)
    const records = [...readRecords(client.doc).values()]
    expect(JSON.stringify(records)).not.toContain('base64')
    expect(JSON.stringify(records)).not.toContain('data:')
    const placeholder = records.find(
      (r) =>
        r.typeName === 'shape' && r.type === 'geo' && JSON.stringify(r.props).includes('Image not imported'),
    )
    expect(placeholder).toBeDefined()
    const assets = records.filter((r) => r.typeName === 'asset')
    expect(assets).toHaveLength(1)
    const src = String((assets[0] as { props: { src: string } }).props.src)
    expect(src).toMatch(/^\/api\/assets\//)
    const stored = await fetch(`${server.url}${src}`)
    expect(stored.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await stored.arrayBuffer()).equals(tinyPng())).toBe(true)
    // Each import sits beside what was there before it: the three groups do not overlap.
    const shapesOnPage = records.filter((r) => r.typeName === 'shape')
    const image = shapesOnPage.find((r) => r.typeName === 'shape' && r.type === 'image')!
    expect(boundsOf([image])!.x).toBeGreaterThan(540 + 600)
    destroyAll([client])
  })

  it('refuses viewers, hostile and oversized files, and changes nothing', async () => {
    const room = await createRoom(server.url)
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="2" value="&e;" vertex="1" parent="1"><mxGeometry width="10" height="10" as="geometry"/></mxCell></root></mxGraphModel>`
    expect((await importInto(room.links.view.id, '<mxfile/>')).status).toBe(403)
    for (const body of ['not xml at all <<<', xxe, '<mxfile><diagram>!!!notbase64</diagram></mxfile>']) {
      const response = await importInto(room.links.edit.id, body)
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toMatch(/cannot be imported/)
    }
    expect((await importInto(room.links.edit.id, new Uint8Array(300_000))).status).toBe(413)
    const client = await connectSynced(server.url, room.links.view.id)
    expect(readRecords(client.doc).size).toBe(2)
    destroyAll([client])
  })
})

/** A 2×2 PNG made here (signature, IHDR, IDAT, IEND); CRCs are not checked by the asset sniffer. */
function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(2, 0)
  header.writeUInt32BE(2, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const pixels = Buffer.from([0, 255, 0, 0, 0, 0, 255, 0, 0, 255, 0, 255, 0, 255, 255])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
