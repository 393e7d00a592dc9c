/**
 * Readable labels after a draw.io import, against draw.io's own rendering of the same files (issue
 * 17's goal: every label readable in draw.io is readable after import). A label is readable when
 * it lies inside its shape (labels drawn in a box) and no word of it is broken across lines; frame
 * names are readable when not cut off. The sample: the diagrams under `<dir>` that hold at least one
 * label, sorted by path, every k-th from the first (k = ⌊n / sample⌋), `--sample` of them (30).
 * Each one is imported through the API of a real server into its own room and measured on the
 * rendered board in Chromium (`lib/boardLabels.ts`); with `--viewer=<viewer.min.js>` the same
 * files are also rendered by draw.io's viewer in the same Chromium (`lib/drawioViewerLabels.ts`).
 * The corpus is not in this repository (docs/drawio.md says how to get it and the viewer).
 * Run from tests/: `node --import tsx bench/drawioReadable.ts <dir> [--viewer=…] [--sample=30]
 * [--no-build] [--out=file.json]`.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { decompressDiagram, IMPORT_LIMITS } from '@drawbridge/shared'
import { type Browser, chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/chromium'
import '../e2e/support/testHook'
import { createTestDatabase } from '../integration/support/databases'
import { drawioFilesUnder, isDiagram } from './drawioCorpus'
import { type MeasuredLabel, measureOnBoard } from './lib/boardLabels'
import { measureInViewer, openViewer } from './lib/drawioViewerLabels'
import { startOurs, TESTS_DIR } from './lib/servers'

const args = process.argv.slice(2)
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const dir = args.find((a) => !a.startsWith('--'))
const SAMPLE = Number(flag('sample') ?? 30)
const viewerPath = flag('viewer')

/** True when one of the file's diagrams has a cell with a non-empty label. */
export function hasLabels(text: string): boolean {
  const labelled = (xml: string) => /\s(value|label)="[^"]/.test(xml)
  if (labelled(text)) return true
  for (const match of text.matchAll(/<diagram\b[^>]*>([^<]+)<\/diagram>/g)) {
    const decoded = decompressDiagram(match[1]!.trim(), IMPORT_LIMITS.maxXmlBytes)
    if (decoded.ok && labelled(decoded.text)) return true
  }
  return false
}

/** Every k-th labelled diagram by sorted path. */
export function sampleOf(root: string, size: number): { files: string[]; labelled: number; step: number } {
  const candidates = drawioFilesUnder(root).filter((file) => {
    const text = readFileSync(join(root, file), 'utf8')
    return isDiagram(text) && hasLabels(text)
  })
  const step = Math.max(1, Math.floor(candidates.length / size))
  const files = candidates.filter((_, i) => i % step === 0).slice(0, size)
  return { files, labelled: candidates.length, step }
}

interface Tally {
  labels: number
  readable: number
}

function readable(label: MeasuredLabel): boolean {
  return !label.outside && label.brokenWords.length === 0
}

function tally(labels: MeasuredLabel[]): Tally {
  return { labels: labels.length, readable: labels.filter(readable).length }
}

function line(name: string, t: Tally): string {
  return `${name}: ${t.readable} of ${t.labels} labels readable (${((100 * t.readable) / Math.max(1, t.labels)).toFixed(1)} %)`
}

function buildClient(): void {
  const client = join(TESTS_DIR, '../client')
  const result = spawnSync(process.execPath, [join(client, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: client,
    stdio: 'ignore',
  })
  if (result.status !== 0) throw new Error('client build failed')
}

async function measureAll(browser: Browser, root: string, files: string[]) {
  const perFile: Array<{ file: string; board: MeasuredLabel[]; drawio: MeasuredLabel[]; error?: string }> = []
  const database = await createTestDatabase('pglite')
  const server = await startOurs(database)
  const viewer = viewerPath ? await browser.newPage({ viewport: { width: 1600, height: 1200 } }) : undefined
  if (viewer && viewerPath) await openViewer(viewer, viewerPath)
  try {
    for (const file of files) {
      const bytes = readFileSync(join(root, file))
      const context = await browser.newContext({ viewport: { width: 1600, height: 1200 } })
      const page = await context.newPage()
      const board = await measureOnBoard(page, server.url, bytes)
      await context.close()
      const drawio = viewer ? await measureInViewer(viewer, bytes.toString('utf8')) : []
      perFile.push({ file, board: board.labels, drawio, error: board.error })
      const b = tally(board.labels)
      const d = tally(drawio)
      console.log(
        `${file}: board ${b.readable}/${b.labels}${viewer ? `, draw.io ${d.readable}/${d.labels}` : ''}${board.error ? ` (${board.error})` : ''}`,
      )
    }
  } finally {
    await server.stop()
    await database.drop()
  }
  return perFile
}

async function main(): Promise<void> {
  if (!dir) {
    console.error(
      'usage: node --import tsx bench/drawioReadable.ts <dir of .drawio files> [--viewer=viewer.min.js]',
    )
    process.exit(2)
  }
  const sample = flag('files') ? undefined : sampleOf(dir, SAMPLE)
  const files = flag('files')?.split(',') ?? sample!.files
  if (sample)
    console.log(
      `sample: ${files.length} of ${sample.labelled} labelled diagrams, every ${sample.step}th by path`,
    )
  if (!args.includes('--no-build')) buildClient()
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  try {
    const perFile = await measureAll(browser, dir, files)
    const board = perFile.flatMap((f) => f.board)
    const drawio = perFile.flatMap((f) => f.drawio)
    console.log(`\n${files.length} files`)
    console.log(line('after import', tally(board)))
    for (const kind of ['box', 'free', 'frame'] as const)
      console.log(`  ${line(kind, tally(board.filter((l) => l.kind === kind)))}`)
    if (viewerPath) {
      console.log(line("draw.io's viewer", tally(drawio)))
      for (const kind of ['box', 'free', 'frame'] as const)
        console.log(`  ${line(kind, tally(drawio.filter((l) => l.kind === kind)))}`)
    }
    const out =
      flag('out') ??
      join(TESTS_DIR, '../bench-results', `drawio-readable-${new Date().toISOString().slice(0, 10)}.json`)
    mkdirSync(join(out, '..'), { recursive: true })
    writeFileSync(out, JSON.stringify({ files, perFile }, null, 1))
    console.log(`labels per file: ${out}`)
  } finally {
    await browser.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
