/**
 * Images and files on boards: the AssetStore contract on the local disk and on Supabase Storage
 * (a local imitation of its REST API), then the HTTP routes on a real server with each store —
 * exact bytes and headers, one copy per file, types sniffed from bytes (415), the size cap (413,
 * reading stops early), viewers (403), the per-room quota (507), room deletion, draw.io export.
 */
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createLogger, LocalAssetStore, type RunningServer, SupabaseAssetStore } from '@drawbridge/server'
import { openRecords, readRecords, type TLRecord, validateDocumentRecord } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CreatedRoom, connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { type Backend, createTestDatabase, type TestDatabase } from './support/databases'
import { type FakeSupabaseStorage, startFakeSupabaseStorage } from './support/fakeSupabaseStorage'
import { HTML_PAGE, png, SIGNATURES, SVG_WITH_SCRIPT } from './support/mediaFiles'
import { startTestServer } from './support/servers'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const silent = createLogger('silent')

type StoreKind = 'local' | 'supabase'

describe.each<StoreKind>(['local', 'supabase'])('the AssetStore contract on the %s store', (kind) => {
  let fake: FakeSupabaseStorage | undefined
  let database: TestDatabase
  let store: LocalAssetStore | SupabaseAssetStore

  beforeAll(async () => {
    database = await createTestDatabase('pglite') // only for its temporary directory
    if (kind === 'supabase') {
      fake = await startFakeSupabaseStorage()
      store = await SupabaseAssetStore.open(
        { url: fake.url, serviceRoleKey: fake.serviceRoleKey, bucket: 'board-files' },
        silent,
      )
    } else {
      store = new LocalAssetStore(join(database.env.DATA_DIR, 'assets'))
    }
  })
  afterAll(async () => {
    await fake?.close()
    await database?.drop()
  })

  it('keeps exact bytes under their name, says what it has, and deletes', async () => {
    const bytes = png(3, 2, [1, 2, 3])
    const name = sha256(bytes)
    expect(await store.has(name)).toBe(false)
    expect(await store.get(name)).toBeUndefined()
    await store.put(name, bytes, 'image/png')
    await store.put(name, bytes, 'image/png') // again: harmless
    expect(await store.has(name)).toBe(true)
    expect(Buffer.from((await store.get(name))!).equals(bytes)).toBe(true)
    await store.delete([name, sha256(Buffer.from('never stored'))])
    expect(await store.has(name)).toBe(false)
    expect(await store.get(name)).toBeUndefined()
  })

  it('refuses names that are not content addresses', async () => {
    await expect(store.put('../../etc/passwd', Buffer.from('x'), 'image/png')).rejects.toThrow(
      /not a blob name/,
    )
    await expect(store.get('ABC')).rejects.toThrow(/not a blob name/)
  })

  if (kind === 'supabase') {
    it('speaks Supabase Storage: a private bucket, service-role auth, objects by content address', async () => {
      const bytes = png(4, 4)
      await store.put(sha256(bytes), bytes, 'image/png')
      expect(fake!.buckets.get('board-files')).toEqual({ public: false })
      const object = fake!.objects.get(`board-files/${sha256(bytes).slice(0, 2)}/${sha256(bytes)}`)
      expect(object?.contentType).toBe('image/png')
      expect(object?.cacheControl).toBe('max-age=31536000')
      // A wrong key is an error, never "not found".
      const wrong = await SupabaseAssetStore.open(
        { url: fake!.url, serviceRoleKey: 'nope', bucket: 'board-files' },
        silent,
      )
      await expect(wrong.get(sha256(bytes))).rejects.toThrow(/Supabase Storage download failed/)
    })
  }
})

describe.each<{ kind: StoreKind; backend: Backend }>([
  { kind: 'local', backend: 'pglite' },
  { kind: 'supabase', backend: 'pglite' },
  { kind: 'local', backend: 'postgres' },
])('assets over HTTP on the $kind store ($backend)', ({ kind, backend }) => {
  const MAX = 64 * 1024
  const QUOTA = 160 * 1024
  let fake: FakeSupabaseStorage | undefined
  let database: TestDatabase
  let server: RunningServer
  let room: CreatedRoom

  const upload = (linkId: string, body: Uint8Array | string, contentType = 'application/octet-stream') =>
    fetch(`${server.url}/api/links/${linkId}/assets`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : Buffer.from(body),
    })
  const uploadOk = async (linkId: string, body: Uint8Array) => {
    const response = await upload(linkId, body, 'image/png')
    expect(response.status, await response.clone().text()).toBe(201)
    return (await response.json()) as { id: string; url: string; mimeType: string; size: number }
  }
  /** Names of the blobs the store holds, looked at directly (not through the server). */
  const storedNames = async (): Promise<string[]> => {
    if (fake) return [...fake.objects.keys()].map((key) => key.split('/').pop()!).sort()
    const root = join(database.env.DATA_DIR, 'assets')
    const shards = await readdir(root).catch(() => [] as string[])
    const names = await Promise.all(shards.map((shard) => readdir(join(root, shard))))
    return names.flat().sort()
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    fake = kind === 'supabase' ? await startFakeSupabaseStorage() : undefined
    server = await startTestServer(database, {
      MAX_ASSET_BYTES: String(MAX),
      ROOM_ASSET_QUOTA_BYTES: String(QUOTA),
      ...(fake
        ? {
            SUPABASE_URL: fake.url,
            SUPABASE_SERVICE_ROLE_KEY: fake.serviceRoleKey,
            SUPABASE_STORAGE_BUCKET: 'assets-test',
          }
        : {}),
    })
    room = await createRoom(server.url, 'Files')
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.close()
    await database?.drop()
  })

  it('stores an upload and serves its exact bytes with the right headers', async () => {
    const bytes = png(20, 10, [200, 30, 30])
    const created = await uploadOk(room.links.edit.id, bytes)
    expect(created).toEqual({
      id: sha256(bytes),
      url: `/api/assets/${room.roomId}/${sha256(bytes)}`,
      mimeType: 'image/png',
      size: bytes.byteLength,
    })
    const served = await fetch(`${server.url}${created.url}`)
    expect(served.status).toBe(200)
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('content-length')).toBe(String(bytes.byteLength))
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
    expect(await storedNames()).toContain(sha256(bytes))

    // Revalidation and byte ranges (how browsers play video).
    const etag = served.headers.get('etag')!
    expect((await fetch(`${server.url}${created.url}`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    )
    const part = await fetch(`${server.url}${created.url}`, { headers: { range: 'bytes=0-7' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${bytes.byteLength}`)
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(0, 8))).toBe(true)
    expect((await fetch(`${server.url}${created.url}`, { headers: { range: 'bytes=99999-' } })).status).toBe(
      416,
    )
  })

  it('stores the same file once, however many uploads and boards use it', async () => {
    const other = await createRoom(server.url, 'Other')
    const bytes = png(8, 8, [0, 128, 0])
    const before = (await storedNames()).length
    const first = await uploadOk(room.links.edit.id, bytes)
    const again = await uploadOk(room.links.edit.id, bytes)
    const elsewhere = await uploadOk(other.links.edit.id, bytes)
    expect(again).toEqual(first)
    expect(elsewhere.id).toBe(first.id)
    expect(elsewhere.url).toBe(`/api/assets/${other.roomId}/${first.id}`)
    expect((await storedNames()).length).toBe(before + 1)
    for (const url of [first.url, elsewhere.url]) {
      const served = await fetch(`${server.url}${url}`)
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
    }
  })

  it('decides the type from the bytes: every board type is accepted, anything else is 415', async () => {
    for (const [mimeType, bytes] of Object.entries(SIGNATURES)) {
      const response = await upload(room.links.edit.id, bytes, 'application/octet-stream')
      expect(response.status, mimeType).toBe(201)
      const { url } = (await response.json()) as { url: string }
      expect((await fetch(`${server.url}${url}`)).headers.get('content-type')).toBe(mimeType)
    }
    const before = await storedNames()
    const pretenders: Array<[string, Uint8Array]> = [
      ['HTML claiming to be a PNG', HTML_PAGE],
      ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')],
      ['plain text', Buffer.from('just some words')],
      [
        'a Matroska video',
        Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x93, 0x42, 0x82, 0x88, ...Buffer.from('matroska')]),
      ],
      [
        'a HEIC photo',
        Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic')]),
      ],
      ['a PNG signature cut short', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
    ]
    for (const [what, bytes] of pretenders) {
      const response = await upload(room.links.edit.id, bytes, 'image/png')
      expect(response.status, what).toBe(415)
      expect(((await response.json()) as { error: string }).error).toMatch(/not an image or video/)
    }
    expect(await storedNames()).toEqual(before)
  })

  it('serves SVG so that its scripts cannot run', async () => {
    const created = await uploadOk(room.links.edit.id, SVG_WITH_SCRIPT)
    expect(created.mimeType).toBe('image/svg+xml')
    const served = await fetch(`${server.url}${created.url}`)
    expect(served.headers.get('content-type')).toBe('image/svg+xml')
    expect(served.headers.get('content-security-policy')).toBe(
      "sandbox; default-src 'none'; style-src 'unsafe-inline'",
    )
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await served.arrayBuffer()).equals(SVG_WITH_SCRIPT)).toBe(true)
  })

  it('refuses files over MAX_ASSET_BYTES with 413, and stops reading a body that runs past it', async () => {
    const before = await storedNames()
    const tooBig = png(200, 200, [0, 0, 0], 7) // noise: ~120 KB
    expect(tooBig.byteLength).toBeGreaterThan(MAX)
    const declared = await upload(room.links.edit.id, tooBig, 'image/png')
    expect(declared.status).toBe(413)
    expect(((await declared.json()) as { error: string }).error).toMatch(/at most 64 KiB/)

    // No Content-Length: a stream that would go on for 256 MiB. The server refuses it at once, reads
    // and drops at most MAX_DRAIN_BYTES (64 MiB) of the rest (so a client that stops sending can read
    // the 413, see uploadLimits.test.ts), then closes the connection: it never reads the whole body.
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16 * 1024
        if (pulled > 256 * 1024 * 1024) controller.close()
        else
          controller.enqueue(pulled === 16 * 1024 ? tooBig.subarray(0, 16 * 1024) : new Uint8Array(16 * 1024))
      },
    })
    const streamed = await fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
      method: 'POST',
      body: endless,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error)
    // Either the 413 arrived before the close, or the connection was reset while still sending.
    expect(streamed instanceof Response ? String(streamed.status) : 'reset').toMatch(/^(413|reset)$/)
    expect(pulled).toBeLessThan(96 * 1024 * 1024)
    expect(await storedNames()).toEqual(before)
  })

  it('lets only editors upload: viewers 403, unknown links 404, empty bodies 400', async () => {
    const bytes = png(5, 5, [9, 9, 9])
    const viewer = await upload(room.links.view.id, bytes, 'image/png')
    expect(viewer.status).toBe(403)
    expect((await upload('x'.repeat(24), bytes, 'image/png')).status).toBe(404)
    expect((await upload(room.links.edit.id, new Uint8Array())).status).toBe(400)
    expect(await storedNames()).not.toContain(sha256(bytes))
    // Nobody reads what a room does not use, whatever its hash.
    expect((await fetch(`${server.url}/api/assets/${room.roomId}/${sha256(bytes)}`)).status).toBe(404)
    expect((await fetch(`${server.url}/api/assets/not-a-room/${sha256(bytes)}`)).status).toBe(404)
  })

  it('holds each board to ROOM_ASSET_QUOTA_BYTES with a 507 that says so', async () => {
    const full = await createRoom(server.url, 'Full')
    const files = [1, 2, 3].map((seed) => png(120, 120, [0, 0, 0], seed)) // ~43 KB each
    for (const file of files) await uploadOk(full.links.edit.id, file)
    const last = png(120, 120, [0, 0, 0], 4)
    const refused = await upload(full.links.edit.id, last, 'image/png')
    expect(refused.status).toBe(507)
    expect(((await refused.json()) as { error: string }).error).toMatch(/this file \(\d+ KiB\) does not fit/)
    // A file the board already has costs nothing; other boards have their own quota.
    expect((await upload(full.links.edit.id, files[0]!, 'image/png')).status).toBe(201)
    expect((await upload(room.links.edit.id, last, 'image/png')).status).toBe(201)
  })

  it('deletes a room’s files with the room, keeping those another room still uses', async () => {
    const doomed = await createRoom(server.url, 'Doomed')
    const keeper = await createRoom(server.url, 'Keeper')
    const shared = png(6, 6, [10, 20, 30])
    const own = png(7, 7, [40, 50, 60])
    const sharedUrl = (await uploadOk(doomed.links.edit.id, shared)).url
    const ownUrl = (await uploadOk(doomed.links.edit.id, own)).url
    const keeperUrl = (await uploadOk(keeper.links.edit.id, shared)).url
    expect(await storedNames()).toEqual(expect.arrayContaining([sha256(shared), sha256(own)]))

    const deleted = await fetch(`${server.url}/api/rooms/${doomed.roomId}`, {
      method: 'DELETE',
      headers: { 'x-owner-key': doomed.ownerKey },
    })
    expect(deleted.status).toBe(204)
    expect(await storedNames()).not.toContain(sha256(own))
    expect(await storedNames()).toContain(sha256(shared))
    expect((await fetch(`${server.url}${ownUrl}`)).status).toBe(404)
    expect((await fetch(`${server.url}${sharedUrl}`)).status).toBe(404)
    const kept = await fetch(`${server.url}${keeperUrl}`)
    expect(Buffer.from(await kept.arrayBuffer()).equals(shared)).toBe(true)
  })

  it('embeds uploaded images in the draw.io export as data URIs', async () => {
    const board = await createRoom(server.url, 'Picture')
    const bytes = png(30, 20, [250, 200, 0])
    const { url } = await uploadOk(board.links.edit.id, bytes)
    const asset = {
      id: 'asset:logo',
      typeName: 'asset',
      type: 'image',
      props: { name: 'logo.png', src: url, w: 30, h: 20, mimeType: 'image/png', isAnimated: false },
      meta: {},
    } as unknown as TLRecord
    const shape = {
      id: 'shape:logo',
      typeName: 'shape',
      type: 'image',
      x: 10,
      y: 10,
      rotation: 0,
      index: 'a1',
      parentId: 'page:page',
      isLocked: false,
      opacity: 1,
      meta: {},
      props: {
        w: 30,
        h: 20,
        playing: true,
        url: '',
        assetId: 'asset:logo',
        crop: null,
        flipX: false,
        flipY: false,
        altText: '',
      },
    } as unknown as TLRecord
    for (const record of [asset, shape]) expect(validateDocumentRecord(record)).toMatchObject({ ok: true })
    const editor = await connectSynced(server.url, board.links.edit.id)
    editor.doc.transact(() => {
      for (const record of [asset, shape]) openRecords(editor.doc).set(record.id, record)
    })
    const check = await connectSynced(server.url, board.links.view.id)
    await waitFor(() => readRecords(check.doc).has('shape:logo'), 'the image is stored')
    destroyAll([editor, check])

    const xml = await (await fetch(`${server.url}/api/links/${board.links.view.id}/export.drawio`)).text()
    expect(xml).toContain(`image=data:image/png,${bytes.toString('base64')}`)
    expect(xml).not.toContain('/api/assets/')
  })
})

describe('asset limits when nothing is configured', () => {
  let database: TestDatabase
  let server: RunningServer
  let room: CreatedRoom

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    server = await startTestServer(database) // no MAX_ASSET_BYTES, no ROOM_ASSET_QUOTA_BYTES
    room = await createRoom(server.url, 'Defaults')
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  /** A file that sniffs as PNG (its signature and header chunk) padded to exactly `size` bytes. */
  const pngOfSize = (size: number, seed: number) => {
    const head = png(1, 1, [seed, seed, seed])
    return Buffer.concat([head, Buffer.alloc(size - head.byteLength, seed)])
  }
  const upload = (body: Uint8Array) =>
    fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: Buffer.from(body),
    })

  it('accepts a file of exactly 10 MiB and refuses one byte more with 413, on the local disk', async () => {
    const tenMiB = 10 * 1024 * 1024
    const largest = pngOfSize(tenMiB, 1)
    const accepted = await upload(largest)
    expect(accepted.status).toBe(201)
    const { id } = (await accepted.json()) as { id: string }
    expect(id).toBe(sha256(largest))
    // The default store is DATA_DIR/assets, one file per content address.
    const onDisk = new LocalAssetStore(join(database.env.DATA_DIR, 'assets'))
    expect(Buffer.from((await onDisk.get(id))!).equals(largest)).toBe(true)

    const refused = await upload(pngOfSize(tenMiB + 1, 2))
    expect(refused.status).toBe(413)
    expect(((await refused.json()) as { error: string }).error).toMatch(/at most 10\.0 MiB/)
  })
})
