/**
 * The asset store's `resolve` when a peer's record moves from a pending placeholder to the server
 * URL: tldraw keeps whichever answer arrives last, so a late "this device has no such file" for the
 * placeholder must not blank out the URL that was resolved meanwhile. IndexedDB is replaced by a
 * lookup the test answers when it chooses.
 */
import type { TLAsset, TLAssetContext } from 'tldraw'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { PendingFile } from './pendingFiles'

const lookups: Array<{ src: string; answer: (file: PendingFile | undefined) => void }> = []

vi.mock('./pendingFiles', () => ({
  pendingFiles: {
    get: (src: string) =>
      new Promise<PendingFile | undefined>((answer) => {
        lookups.push({ src, answer })
      }),
    put: async () => undefined,
    forRoom: async () => [],
    remove: async () => undefined,
  },
}))
vi.mock('../account/session', () => ({ authHeaders: () => ({}) }))

const { BoardAssets, PENDING_SRC_PREFIX } = await import('./boardAssets')

const PENDING = `${PENDING_SRC_PREFIX}0123abcd`
const URL_ON_SERVER = `/api/assets/6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f/${'a'.repeat(64)}`
const CONTEXT = {} as TLAssetContext

const imageAsset = (id: string, src: string | null) =>
  ({
    id,
    typeName: 'asset',
    type: 'image',
    props: { name: 'logo.png', src, w: 80, h: 60, mimeType: 'image/png', isAnimated: false },
    meta: {},
  }) as unknown as TLAsset

describe('BoardAssets.store.resolve', () => {
  beforeEach(() => {
    lookups.length = 0
  })

  const resolveOf = (assets: InstanceType<typeof BoardAssets>, asset: TLAsset) =>
    Promise.resolve(assets.store.resolve!(asset, CONTEXT))

  it('answers a placeholder that outlived its record with the record’s server URL, not null', async () => {
    const assets = new BoardAssets({ linkId: 'link', roomId: 'room' })
    // Another peer's placeholder arrives: this device looks for the file (slowly) …
    const stale = resolveOf(assets, imageAsset('asset:1', PENDING))
    // … and before it answers, the author's upload rewrites the record to the server URL.
    expect(await resolveOf(assets, imageAsset('asset:1', URL_ON_SERVER))).toBe(URL_ON_SERVER)
    expect(lookups.map((lookup) => lookup.src)).toEqual([PENDING])
    lookups[0]!.answer(undefined) // not on this device
    expect(await stale).toBe(URL_ON_SERVER)
  })

  it('still answers null for a placeholder this device does not hold while it is the record’s src', async () => {
    const assets = new BoardAssets({ linkId: 'link', roomId: 'room' })
    const answer = resolveOf(assets, imageAsset('asset:2', PENDING))
    lookups[0]!.answer(undefined)
    expect(await answer).toBeNull()
    // Other assets are independent.
    expect(await resolveOf(assets, imageAsset('asset:3', URL_ON_SERVER))).toBe(URL_ON_SERVER)
    expect(await resolveOf(assets, imageAsset('asset:4', null))).toBeNull()
  })
})
