/**
 * Import rate on a directory of real draw.io files (e.g. a checkout of jgraph/drawio-diagrams; the
 * corpus is not part of this repository): every `.drawio` / `.xml` file under the directory goes
 * through `mxfileToRecords`, as the API and the browser import it. Files that are not diagrams
 * (`<mxlibrary>` shape libraries, template lists) are counted apart. Prints the rate, the refused
 * files with their reason, and the kept share of vertices and edges.
 * Run: `node --import tsx tests/bench/drawioCorpus.ts <dir>` (from the repository root).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { FIRST_PAGE_ID, mxfileToRecords } from '@drawbridge/shared'

/** Every `.drawio` / `.xml` file under `dir`, sorted by path (the order the samples are drawn in). */
export function drawioFilesUnder(dir: string): string[] {
  const found: string[] = []
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.(drawio|xml)$/i.test(entry.name)) found.push(path)
    }
  }
  walk(dir)
  return found.map((path) => relative(dir, path)).sort()
}

/** True when the file is a draw.io diagram (not a shape library or another XML file). */
export function isDiagram(text: string): boolean {
  const head = text.slice(0, 2_000)
  return /<mxfile[\s>]|<mxGraphModel[\s>]/.test(head) && !/<mxlibrary[\s>]/.test(head)
}

function main(): void {
  const dir = process.argv[2]
  if (!dir) {
    console.error('usage: node --import tsx tests/bench/drawioCorpus.ts <directory of .drawio files>')
    process.exit(2)
  }
  const files = drawioFilesUnder(dir)
  let diagrams = 0
  let imported = 0
  let skippedCells = 0
  let shapes = 0
  let edges = 0
  const refused: string[] = []
  const started = performance.now()
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8')
    if (!isDiagram(text)) continue
    diagrams += 1
    const result = mxfileToRecords(text, { pageId: FIRST_PAGE_ID, origin: { x: 0, y: 0 } })
    if (!result.ok) {
      refused.push(`${file}: ${result.error}`)
      continue
    }
    imported += 1
    shapes += result.shapes
    edges += result.edges
    skippedCells += result.skippedItems.length
  }
  const ms = performance.now() - started
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`
  console.log(`files: ${files.length} (.drawio/.xml), diagrams: ${diagrams}`)
  console.log(`imported: ${imported} of ${diagrams} diagrams (${pct(imported, diagrams)})`)
  console.log(`shapes: ${shapes}, arrows: ${edges}, cells listed in skippedItems: ${skippedCells}`)
  console.log(`time: ${Math.round(ms)} ms`)
  for (const line of refused) console.log(`refused: ${line}`)
}

if (import.meta.url === `file://${process.argv[1]}`) main()
