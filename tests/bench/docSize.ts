/**
 * Doc bytes vs the JSON of its records (pure Yjs, in-process): 2,000 shapes, each moved 20 times
 * through `openRecords(doc).set` (one transaction per move, as a drag step is). Reports the encoded
 * state (what compaction stores), the JSON of the records, their ratio, the update log before
 * compaction (sum of every update) and the time to load the encoded state; the same with a plain
 * `Y.Map` of records for comparison (measured before: Y.Map 1,156 KB / 160 ms, YKeyValue 782 KB / 35 ms).
 */
import { openRecords, readRecords, type TLShape } from '@drawbridge/shared'
import * as Y from 'yjs'
import { addRectangles } from '../integration/support/records'
import { median, round, wallMs } from './lib/measure'

const SHAPES = 2_000
const MOVES = 20
const LOAD_RUNS = 5

function timeLoad(state: Uint8Array, read: (doc: Y.Doc) => void): number {
  const times: number[] = []
  for (let run = 0; run < LOAD_RUNS + 1; run++) {
    const t0 = wallMs()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    read(doc)
    times.push(wallMs() - t0)
    doc.destroy()
  }
  return median(times.slice(1))
}

/** Every update the doc emits, counted and summed (the update log a server would store). */
function logUpdates(doc: Y.Doc): { bytes: number; count: number } {
  const log = { bytes: 0, count: 0 }
  doc.on('update', (update: Uint8Array) => {
    log.bytes += update.byteLength
    log.count++
  })
  return log
}

function keyValueDoc() {
  const doc = new Y.Doc()
  const log = logUpdates(doc)
  const ids = addRectangles(doc, SHAPES)
  const records = openRecords(doc)
  for (let move = 0; move < MOVES; move++) {
    for (const id of ids) {
      const shape = records.get(id) as TLShape
      records.set(id, { ...shape, x: shape.x + 7, y: shape.y + 3 })
    }
  }
  return { doc, log }
}

function mapDoc(source: Y.Doc) {
  const doc = new Y.Doc()
  const log = logUpdates(doc)
  const map = doc.getMap<TLShape>('records')
  const shapes = [...readRecords(source).values()].filter((r): r is TLShape => r.typeName === 'shape')
  doc.transact(() => {
    for (const shape of shapes)
      map.set(shape.id, { ...shape, x: shape.x - MOVES * 7, y: shape.y - MOVES * 3 })
  })
  for (let move = 0; move < MOVES; move++) {
    for (const shape of shapes) {
      const current = map.get(shape.id)!
      map.set(shape.id, { ...current, x: current.x + 7, y: current.y + 3 })
    }
  }
  return { doc, log, shapes: shapes.length }
}

export async function benchDocSize() {
  const t0 = wallMs()
  const kv = keyValueDoc()
  const buildSeconds = (wallMs() - t0) / 1000
  const state = Y.encodeStateAsUpdate(kv.doc)
  const json = JSON.stringify([...readRecords(kv.doc).values()])
  const jsonBytes = Buffer.byteLength(json)
  const loadMs = timeLoad(state, () => {})
  const loadAndReadMs = timeLoad(state, (doc) => readRecords(doc))

  const ymap = mapDoc(kv.doc)
  const mapState = Y.encodeStateAsUpdate(ymap.doc)
  const mapJson = Buffer.byteLength(JSON.stringify([...ymap.doc.getMap('records').values()]))
  const mapLoadMs = timeLoad(mapState, (doc) => doc.getMap('records').toJSON())
  kv.doc.destroy()
  ymap.doc.destroy()
  return {
    shapes: SHAPES,
    movesPerShape: MOVES,
    stateKB: round(state.byteLength / 1024, 0),
    recordsJsonKB: round(jsonBytes / 1024, 0),
    stateVsJson: round(state.byteLength / jsonBytes, 3),
    updateLogKB: round(kv.log.bytes / 1024, 0),
    updateLogRows: kv.log.count,
    loadMs: round(loadMs, 1),
    loadAndReadMs: round(loadAndReadMs, 1),
    buildSeconds: round(buildSeconds, 1),
    ymapStateKB: round(mapState.byteLength / 1024, 0),
    ymapStateVsJson: round(mapState.byteLength / mapJson, 3),
    ymapLoadMs: round(mapLoadMs, 1),
  }
}
