/**
 * Measures the labels of many geo shapes in one layout instead of one layout each. tldraw sizes a
 * geo shape's label when the shape enters the store (its `growY` and geometry need it): it writes
 * the label into a hidden element and reads its size back — a forced layout per label, most of the
 * time a large board takes to open. Around a put of many records, this asks tldraw's own
 * `measureUnscaledLabelSize` what it would measure for each (html and text options, recorded, not
 * measured), measures all of those together with tldraw's `measureHtmlBatch`, and while the put
 * runs — and the shapes' geometry is built right after it — answers tldraw's measurements from
 * those results. The sizes are the ones tldraw would have
 * measured one by one: same requests, same measuring element styles; anything not asked before the
 * put is measured as usual.
 * Must not touch: the records (it only measures), the doc, the camera.
 */
import type { Editor, TLGeoShape, TLRecord } from 'tldraw'

type MeasureHtml = Editor['textMeasure']['measureHtml']
type Request = { html: string; opts: Parameters<MeasureHtml>[1] }
type Measured = ReturnType<MeasureHtml>

/** Below this many labels, one layout each costs too little to matter. */
const MIN_LABELS = 20
/** Labels per `measureHtmlBatch` call: tldraw keeps that many hidden elements for the next call. */
const CHUNK = 500

const keyOf = (html: string, opts: Request['opts']) => `${html}\u0000${JSON.stringify(opts)}`

function isLabelledGeo(record: TLRecord): record is TLGeoShape {
  if (record.typeName !== 'shape' || record.type !== 'geo') return false
  const content = (record as TLGeoShape).props.richText?.content
  return Array.isArray(content) && content.some((block) => (block as { content?: unknown[] }).content?.length)
}

/** Runs `run` with tldraw's `measureHtml` answered by `measure`, then puts tldraw's own back. */
function withMeasureHtml<T>(editor: Editor, measure: MeasureHtml, run: () => T): T {
  const textMeasure = editor.textMeasure
  const own = Object.getOwnPropertyDescriptor(textMeasure, 'measureHtml')
  textMeasure.measureHtml = measure
  try {
    return run()
  } finally {
    if (own) Object.defineProperty(textMeasure, 'measureHtml', own)
    else delete (textMeasure as Partial<typeof textMeasure>).measureHtml
  }
}

/** What tldraw would measure for these shapes' labels, asked of tldraw without measuring. */
function recordRequests(editor: Editor, shapes: readonly TLGeoShape[]): Request[] {
  const util = editor.getShapeUtil<TLGeoShape>('geo') as {
    measureUnscaledLabelSize?: (shape: TLGeoShape) => unknown
  }
  const measureLabel = util.measureUnscaledLabelSize
  if (typeof measureLabel !== 'function') return []
  const requests: Request[] = []
  const record: MeasureHtml = (html, opts) => {
    requests.push({ html, opts })
    return { x: 0, y: 0, w: 0, h: 0, scrollWidth: 0 }
  }
  withMeasureHtml(editor, record, () => {
    for (const shape of shapes) measureLabel.call(util, shape)
  })
  return requests
}

/** Runs `put`, with the labels of the geo shapes among `records` measured together beforehand. */
export function putWithLabelsMeasured(editor: Editor, records: readonly TLRecord[], put: () => void): void {
  const shapes = records.filter(isLabelledGeo)
  if (shapes.length < MIN_LABELS) {
    put()
    return
  }
  let measured: Map<string, Measured>
  try {
    const requests = new Map<string, Request>()
    for (const request of recordRequests(editor, shapes))
      requests.set(keyOf(request.html, request.opts), request)
    const unique = [...requests]
    measured = new Map()
    for (let start = 0; start < unique.length; start += CHUNK) {
      const chunk = unique.slice(start, start + CHUNK)
      const sizes = editor.textMeasure.measureHtmlBatch(chunk.map(([, request]) => request))
      for (const [index, [key]] of chunk.entries()) measured.set(key, sizes[index] as Measured)
    }
  } catch (error) {
    // Measuring ahead is only a shortcut: tldraw measures as it always did.
    console.warn('[drawbridge] could not measure labels together', error)
    put()
    return
  }
  const measureOne = editor.textMeasure.measureHtml.bind(editor.textMeasure)
  const answer: MeasureHtml = (html, opts) => measured.get(keyOf(html, opts)) ?? measureOne(html, opts)
  withMeasureHtml(editor, answer, () => {
    put()
    // tldraw builds a shape's geometry (where its label size goes) when something first asks for
    // it, which can be the next render, after this: ask now, while the measurements answer.
    for (const shape of shapes) if (editor.getShape(shape.id)) editor.getShapeGeometry(shape.id)
  })
}
