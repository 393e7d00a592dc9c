/**
 * draw.io on the API: a board exports as an mxfile (plain and compressed) that imports back into
 * another board with its shapes and bound arrows; hostile or wrong input changes nothing.
 */

import type { RunningServer } from '@drawbridge/server'
import {
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
    server = await startTestServer(database, { MAX_IMPORT_BYTES: '200000' })
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
