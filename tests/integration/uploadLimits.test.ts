/**
 * Bodies over a limit get an answer the client can read: Node's fetch sending 20 MiB to an upload
 * limited to 10 MiB (and to an import limited below it, and as a viewer who may not upload at all)
 * receives the JSON refusal — not a connection reset mid-body (EPIPE / "fetch failed").
 */

import type { RunningServer } from '@drawbridge/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRoom } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

const MIB = 1024 * 1024

/**
 * A body sent as a stream of 64 KiB chunks, as fast as the socket takes them: no Content-Length,
 * so the server only learns its size by reading it.
 */
function streamed(bytes: number): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
  let sent = 0
  const chunk = new Uint8Array(64 * 1024).fill(0x41)
  return {
    duplex: 'half',
    body: new ReadableStream({
      pull(controller) {
        if (sent >= bytes) return controller.close()
        controller.enqueue(chunk.subarray(0, Math.min(chunk.length, bytes - sent)))
        sent += chunk.length
      },
    }),
  }
}

describe('uploads and imports over their limit get a readable 413', () => {
  let database: TestDatabase
  let server: RunningServer

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database, {
      MAX_ASSET_BYTES: String(10 * MIB),
      MAX_IMPORT_BYTES: String(2 * MIB),
      MAX_UPDATE_BYTES: String(3 * MIB),
    })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('tells the client its limits, so it can refuse a file or a change before sending it', async () => {
    const config = (await (await fetch(`${server.url}/api/config`)).json()) as { limits: unknown }
    expect(config.limits).toEqual({
      maxAssetBytes: 10 * MIB,
      maxImportBytes: 2 * MIB,
      maxUpdateBytes: 3 * MIB,
    })
  })

  it('a 20 MiB upload (with Content-Length) gets 413 and the limit in words', async () => {
    const room = await createRoom(server.url)
    const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(20 * MIB),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: 'Files may be at most 10.0 MiB.' })
  })

  it('a 20 MiB upload streamed without Content-Length gets 413 too', async () => {
    const room = await createRoom(server.url)
    const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
      method: 'POST',
      ...streamed(20 * MIB),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: 'Files may be at most 10.0 MiB.' })
  })

  it('an import over MAX_IMPORT_BYTES gets 413', async () => {
    const room = await createRoom(server.url)
    const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/import`, {
      method: 'POST',
      ...streamed(20 * MIB),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: `body exceeds ${2 * MIB} bytes` })
  })

  it("a viewer's 20 MiB upload is refused (403) without its body being read, and still readable", async () => {
    const room = await createRoom(server.url)
    const response = await fetch(`${server.url}/api/links/${room.links.view.id}/assets`, {
      method: 'POST',
      ...streamed(20 * MIB),
    })
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({ error: 'This link is view-only.' })
  })
})
