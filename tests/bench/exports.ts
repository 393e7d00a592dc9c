/**
 * Parallel draw.io exports against board files (issue 16): a board whose second page holds nine
 * ~9 MiB images and whose first page one small image. Eight exports of the first page at once, then
 * eight of the whole board at once, against our server in a child process (PGlite); the figure is
 * the server's peak RSS over its RSS before (sampled from /proc every 10 ms) and the wall time.
 * Alone: `cd tests && node --import tsx bench/exports.ts`.
 */
import { fileURLToPath } from 'node:url'
import {
  buildPage,
  FIRST_PAGE_ID,
  getIndexAbove,
  openRecords,
  readRecords,
  type TLRecord,
} from '@drawbridge/shared'
import { connectSynced, createRoom, destroyAll, waitFor } from '../integration/support/clients'
import { png } from '../integration/support/mediaFiles'
import { processRssBytes, wallMs } from './lib/measure'
import type { Numbers } from './lib/report'
import { withOurs } from './lib/servers'

const MIB = 1024 * 1024
const PARALLEL = 8
const LARGE_IMAGES = 9
const SAMPLE_MS = 10

function image(id: string, parentId: string, src: string, index: string): TLRecord[] {
  const assetId = `asset:${id}`
  return [
    {
      id: assetId,
      typeName: 'asset',
      type: 'image',
      props: { name: `${id}.png`, src, w: 100, h: 100, mimeType: 'image/png', isAnimated: false },
      meta: {},
    },
    {
      id: `shape:${id}`,
      typeName: 'shape',
      type: 'image',
      x: 0,
      y: 0,
      rotation: 0,
      index,
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
    },
  ] as unknown as TLRecord[]
}

/** Runs `task` while sampling the server's RSS; returns the peak over the RSS before, and the time. */
async function peakDuring(
  pid: number,
  task: () => Promise<unknown>,
): Promise<{ extraMiB: number; ms: number }> {
  const before = processRssBytes(pid)
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, processRssBytes(pid))
  }, SAMPLE_MS)
  const started = wallMs()
  await task()
  const ms = wallMs() - started
  clearInterval(timer)
  peak = Math.max(peak, processRssBytes(pid))
  return { extraMiB: Math.round((peak - before) / MIB), ms: Math.round(ms) }
}

export function benchExports(): Promise<Numbers> {
  return withOurs('pglite', { ROOM_ASSET_QUOTA_BYTES: String(400 * MIB) }, async (server) => {
    const room = await createRoom(server.url, 'Photos')
    const upload = async (bytes: Uint8Array) => {
      const response = await fetch(`${server.url}/api/links/${room.links.edit.id}/assets`, {
        method: 'POST',
        body: Buffer.from(bytes),
      })
      if (response.status !== 201) throw new Error(`upload → ${response.status}`)
      return ((await response.json()) as { url: string }).url
    }
    const second = buildPage({ name: 'Photos', index: getIndexAbove('a1' as never) })
    const records: TLRecord[] = [second, ...image('small', FIRST_PAGE_ID, await upload(png(40, 30)), 'a1')]
    for (let i = 0; i < LARGE_IMAGES; i++) {
      const url = await upload(png(1700, 1800, [0, 0, 0], i + 1)) // noise: ≈ 8.8 MiB each
      records.push(...image(`large${i}`, second.id, url, `a${i + 2}`))
    }
    const editor = await connectSynced(server.url, room.links.edit.id)
    editor.doc.transact(() => {
      for (const record of records) openRecords(editor.doc).set(record.id, record)
    })
    await waitFor(async () => {
      const check = await connectSynced(server.url, room.links.view.id)
      const stored = readRecords(check.doc).has(`shape:large${LARGE_IMAGES - 1}`)
      destroyAll([check])
      return stored
    }, 'the board is stored')
    destroyAll([editor])
    const exportAll = (query: string) =>
      Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          const response = await fetch(`${server.url}/api/links/${room.links.view.id}/export.drawio${query}`)
          return (await response.text()).length
        }),
      )
    const onePage = await peakDuring(server.pid, () =>
      exportAll(`?page=${encodeURIComponent(FIRST_PAGE_ID)}`),
    )
    const whole = await peakDuring(server.pid, () => exportAll(''))
    return {
      parallelExports: PARALLEL,
      imagesOnOtherPage: LARGE_IMAGES,
      onePageExtraMiB: onePage.extraMiB,
      onePageMs: onePage.ms,
      wholeBoardExtraMiB: whole.extraMiB,
      wholeBoardMs: whole.ms,
    }
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await benchExports())
  process.exit(0)
}
