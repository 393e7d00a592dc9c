/**
 * draw.io export and import in Node, in-process (the pure functions of `shared/src/drawio`, which
 * the API runs as they are): export of a 5,000-shape board (+ 1,000 bound arrows, labels, frames,
 * notes, text) plain and compressed, and import of a 5,000-cell file shaped like draw.io's own
 * (HTML labels, draw.io palette colours, containers with nested cells, orthogonal edges with
 * waypoints, an edge label child). Median of RUNS runs after WARMUP. The import is also split into
 * its stages: XML parse alone, parse + reading/checking cells (`readModel`), and the rest (cell
 * structure, records, validation of every record).
 */
import {
  buildBoundArrow,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildPage,
  buildTextShape,
  FIRST_PAGE_ID,
  getIndices,
  mxfileToRecords,
  recordsToMxfile,
  type TLRecord,
} from '@drawbridge/shared'
import { ImageCollector } from '../../shared/src/drawio/embeddedImages'
import { IMPORT_LIMITS } from '../../shared/src/drawio/limits'
import { parseXml } from '../../shared/src/drawio/readInput'
import { readModel } from '../../shared/src/drawio/readModel'
import { median, round, wallMs } from './lib/measure'

export const DRAWIO_BENCH = {
  /** Shapes on the exported board, arrows not counted. */
  exportShapes: 5_000,
  exportArrows: 1_000,
  /** Cells in the imported file besides its root and layer: vertices + edges + one edge label. */
  importVertices: 4_000,
  importEdges: 999,
  runs: 7,
  warmup: 2,
}

const GEO_KINDS = ['rectangle', 'ellipse', 'diamond', 'hexagon', 'cloud', 'star', 'oval', 'triangle'] as const
const COLUMNS = 100

/** 5,000 shapes: 50 frames of 20 nested boxes, 250 notes, 250 texts, the rest top-level geo; arrows between them. */
export function boardForExport(shapes = DRAWIO_BENCH.exportShapes, arrows = DRAWIO_BENCH.exportArrows) {
  const indices = getIndices(shapes + arrows)
  const records: TLRecord[] = [buildPage({ id: FIRST_PAGE_ID, name: 'Benchmark' })]
  const geoIds: Array<{ id: TLRecord['id']; x: number; y: number }> = []
  const frames = 50
  const perFrame = 20
  let next = 0
  const index = () => indices[next++]!
  for (let f = 0; f < frames; f++) {
    const frame = buildFrameShape({
      x: f * 900,
      y: -2_000,
      w: 860,
      h: 600,
      name: `Team ${f}`,
      index: index(),
    })
    records.push(frame)
    for (let c = 0; c < perFrame - 1; c++) {
      records.push(
        buildGeoShape({
          x: 20 + (c % 5) * 160,
          y: 40 + Math.floor(c / 5) * 130,
          w: 140,
          h: 80,
          text: `task ${f}.${c}`,
          parentId: frame.id,
          index: index(),
          color: 'blue',
          fill: 'solid',
        }),
      )
    }
  }
  for (let i = 0; next < shapes; i++) {
    const x = (i % COLUMNS) * 180
    const y = Math.floor(i / COLUMNS) * 120
    if (i % 16 === 1) records.push(buildNoteShape({ x, y, text: `note ${i}`, index: index() }))
    else if (i % 16 === 2) records.push(buildTextShape({ x, y, text: `text **${i}**`, index: index() }))
    else {
      const shape = buildGeoShape({
        x,
        y,
        w: 140,
        h: 80,
        text: `box ${i} <&>`,
        geo: GEO_KINDS[i % GEO_KINDS.length],
        index: index(),
        color: i % 3 === 0 ? 'red' : 'black',
      })
      records.push(shape)
      geoIds.push({ id: shape.id, x, y })
    }
  }
  for (let a = 0; a < arrows; a++) {
    const from = geoIds[a % geoIds.length]!
    const to = geoIds[(a + 1) % geoIds.length]!
    records.push(
      ...buildBoundArrow({
        from: { id: from.id as never, x: from.x + 140, y: from.y + 40 },
        to: { id: to.id as never, x: to.x, y: to.y + 40 },
        index: index(),
        text: a % 2 === 0 ? `edge ${a}` : '',
      }),
    )
  }
  return records
}

const DRAWIO_STYLES = [
  'rounded=1;whiteSpace=wrap;html=1;fillColor=#dae8fc;strokeColor=#6c8ebf;',
  'rounded=0;whiteSpace=wrap;html=1;fillColor=#d5e8d4;strokeColor=#82b366;',
  'ellipse;whiteSpace=wrap;html=1;fillColor=#f8cecc;strokeColor=#b85450;',
  'rhombus;whiteSpace=wrap;html=1;fillColor=#fff2cc;strokeColor=#d6b656;',
  'shape=hexagon;perimeter=hexagonPerimeter2;whiteSpace=wrap;html=1;fixedSize=1;',
  'text;html=1;strokeColor=none;fillColor=none;align=center;verticalAlign=middle;whiteSpace=wrap;',
  'shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.lambda;fillColor=#ED7100;strokeColor=#ffffff;',
]

/**
 * A bare `<mxGraphModel>` shaped like draw.io's: 4,000 vertices (every 20th a container holding
 * the next ones), 999 edges with orthogonal style and a waypoint, and one edge label — 5,000 cells
 * plus the root and the layer.
 */
export function drawioFileForImport(
  vertices = DRAWIO_BENCH.importVertices,
  edges = DRAWIO_BENCH.importEdges,
): string {
  const cells: string[] = ['<mxCell id="0"/>', '<mxCell id="1" parent="0"/>']
  let container = ''
  for (let v = 0; v < vertices; v++) {
    const x = (v % COLUMNS) * 180
    const y = Math.floor(v / COLUMNS) * 120
    if (v % 20 === 0) {
      container = `v${v}`
      cells.push(
        `<mxCell id="v${v}" value="Lane ${v}" style="swimlane;whiteSpace=wrap;html=1;startSize=23;" vertex="1" parent="1"><mxGeometry x="${x}" y="${y}" width="170" height="110" as="geometry"/></mxCell>`,
      )
      continue
    }
    const nested = v % 20 < 3
    const label = v % 5 === 0 ? `&lt;b&gt;Step&lt;/b&gt; ${v}&lt;br&gt;&lt;i&gt;owner&lt;/i&gt;` : `Step ${v}`
    cells.push(
      `<mxCell id="v${v}" value="${label}" style="${DRAWIO_STYLES[v % DRAWIO_STYLES.length]}" vertex="1" parent="${nested ? container : '1'}"><mxGeometry x="${nested ? 10 + (v % 20) * 20 : x}" y="${nested ? 30 : y}" width="${nested ? 20 : 140}" height="${nested ? 20 : 80}" as="geometry"/></mxCell>`,
    )
  }
  for (let e = 0; e < edges; e++) {
    const source = 1 + ((e * 7) % (vertices - 1))
    const target = 1 + ((e * 13 + 5) % (vertices - 1))
    cells.push(
      `<mxCell id="e${e}" value="${e % 3 === 0 ? 'yes' : ''}" style="edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;endArrow=block;endFill=1;" edge="1" parent="1" source="v${source}" target="v${target}"><mxGeometry relative="1" as="geometry"><Array as="points"><mxPoint x="${(e % COLUMNS) * 180 + 160}" y="${Math.floor(e / COLUMNS) * 120 + 100}"/></Array></mxGeometry></mxCell>`,
    )
  }
  cells.push(
    '<mxCell id="e0-label" value="label" style="edgeLabel;html=1;align=center;verticalAlign=middle;resizable=0;points=[];" vertex="1" connectable="0" parent="e0"><mxGeometry x="-0.2" relative="1" as="geometry"><mxPoint as="offset"/></mxGeometry></mxCell>',
  )
  return `<mxGraphModel dx="1426" dy="794" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="827" pageHeight="1169" math="0" shadow="0"><root>${cells.join('')}</root></mxGraphModel>`
}

/**
 * Median wall time and median CPU time (this process, all threads: GC helpers included) of `run`.
 * On a shared machine the wall time also holds the waits for a core; the CPU time does not.
 */
function time(run: () => void, runs = DRAWIO_BENCH.runs, warmup = DRAWIO_BENCH.warmup) {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < warmup + runs; i++) {
    const cpu0 = process.cpuUsage()
    const t0 = wallMs()
    run()
    const elapsed = wallMs() - t0
    const used = process.cpuUsage(cpu0)
    if (i < warmup) continue
    wall.push(elapsed)
    cpu.push((used.user + used.system) / 1000)
  }
  return { wall: round(median(wall), 1), cpu: round(median(cpu), 1) }
}

export async function benchDrawio() {
  const board = boardForExport()
  let exported = recordsToMxfile(board)
  if (exported.unmapped.length > 0) throw new Error(`export left ${exported.unmapped.length} records out`)
  const exportPlain = time(() => {
    exported = recordsToMxfile(board)
  })
  const exportCompressed = time(() => {
    recordsToMxfile(board, { compressed: true })
  })

  const file = drawioFileForImport()
  const cells = (file.match(/<mxCell /g)?.length ?? 0) - 2
  const options = { pageId: FIRST_PAGE_ID }
  const check = mxfileToRecords(file, options)
  if (!check.ok) throw new Error(`import failed: ${check.error}`)
  const importAll = time(() => {
    mxfileToRecords(file, options)
  })
  const parse = time(() => {
    if (!parseXml(file).ok) throw new Error('parse failed')
  })
  const readCells = time(() => {
    if (!readModel(file, new ImageCollector(IMPORT_LIMITS.maxImageBytes)).ok)
      throw new Error('readModel failed')
  })
  // Our own export read back: the round trip's import half.
  const ownExport = exported.xml
  const importOwn = time(() => {
    mxfileToRecords(ownExport, options)
  })

  return {
    exportShapes: DRAWIO_BENCH.exportShapes,
    exportArrows: DRAWIO_BENCH.exportArrows,
    exportBytes: exported.xml.length,
    exportMedianMs: exportPlain.wall,
    exportCpuMedianMs: exportPlain.cpu,
    exportCompressedMedianMs: exportCompressed.wall,
    exportCompressedCpuMedianMs: exportCompressed.cpu,
    importCells: cells,
    importBytes: file.length,
    importShapes: check.shapes,
    importEdges: check.edges,
    importMedianMs: importAll.wall,
    importCpuMedianMs: importAll.cpu,
    importParseCpuMedianMs: parse.cpu,
    importReadCellsCpuMedianMs: readCells.cpu,
    importRecordsAndValidationCpuMedianMs: round(importAll.cpu - readCells.cpu, 1),
    importOwnExportMedianMs: importOwn.wall,
    importOwnExportCpuMedianMs: importOwn.cpu,
    runs: DRAWIO_BENCH.runs,
  }
}

// Alone: `cd tests && node --import tsx bench/drawio.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchDrawio())
}
