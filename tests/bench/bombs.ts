/**
 * Deflate bombs against the draw.io import (issue 16): a 4 MB `.drawio` whose diagram inflates to
 * 3 GiB, and `.drawio.png` files whose zTXt / iTXt chunk inflates to 512 MiB. Each is read by
 * `mxfileToRecords` — what `POST …/import` runs — in a fresh child process, so its time to refusal
 * and the memory it added (peak RSS over RSS before the call) are its own.
 * Alone: `cd tests && node --import tsx bench/bombs.ts`.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FIRST_PAGE_ID, mxfileToRecords } from '@drawbridge/shared'
import { drawioBomb, drawioPngBomb } from '../integration/support/deflateBombs'
import type { Numbers } from './lib/report'

const MIB = 1024 * 1024
const CHILD_FLAG = '--bomb-child'

interface ChildResult {
  ms: number
  extraMiB: number
  error: string
}

/** In the child: read one file, import it, report time, memory added and the refusal. */
function measureFile(path: string): ChildResult {
  const bytes = new Uint8Array(readFileSync(path))
  const body = path.endsWith('.png') ? bytes : new TextDecoder().decode(bytes)
  const rssBefore = process.memoryUsage().rss
  const started = performance.now()
  const result = mxfileToRecords(body, { pageId: FIRST_PAGE_ID })
  const ms = performance.now() - started
  const peak = process.resourceUsage().maxRSS * 1024
  return {
    ms: Math.round(ms),
    extraMiB: Math.round(Math.max(0, peak - rssBefore) / MIB),
    error: result.ok ? 'accepted' : result.error,
  }
}

function runChild(name: string, file: Uint8Array | string): ChildResult {
  const path = join(
    tmpdir(),
    `drawbridge-bomb-${process.pid}-${name}${typeof file === 'string' ? '.drawio' : '.png'}`,
  )
  writeFileSync(path, file)
  try {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, path],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
      },
    )
    return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult
  } finally {
    rmSync(path, { force: true })
  }
}

export async function benchBombs(): Promise<Numbers> {
  const cases: Array<[string, Uint8Array | string]> = [
    ['drawio3GiB', drawioBomb(3 * 1024)],
    ['pngZtxt512MiB', drawioPngBomb('zTXt', 512)],
    ['pngItxt512MiB', drawioPngBomb('iTXt', 512)],
  ]
  const numbers: Numbers = {}
  for (const [name, file] of cases) {
    const result = runChild(name, file)
    if (!result.error.includes('size limit'))
      throw new Error(`${name} was not refused at the limit: ${result.error}`)
    numbers[`${name}FileMB`] =
      Math.round((typeof file === 'string' ? file.length : file.byteLength) / 1e5) / 10
    numbers[`${name}RefusedMs`] = result.ms
    numbers[`${name}ExtraMiB`] = result.extraMiB
  }
  return numbers
}

if (process.argv[2] === CHILD_FLAG) {
  console.log(JSON.stringify(measureFile(process.argv[3]!)))
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await benchBombs())
}
