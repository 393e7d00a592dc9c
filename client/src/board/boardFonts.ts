/**
 * The fonts of an opening board's labels, loaded before its shapes go into the store. tldraw waits
 * for the fonts of the shapes on the page when its editor is created, but a large board's shapes go
 * in as the editor mounts and after (so that their labels are measured together, see
 * `labelMeasurement.ts`), after that wait: without this, their labels would be measured in a
 * fallback font on a first visit, and tldraw keeps that geometry when the font arrives (labels cut
 * or misplaced: up to 34 px in `boardFonts.spec.ts`). So that the wait is short, each font family the board's shapes use
 * starts loading as soon as the records are read, before the editor exists (`preloadFontsOf`).
 * Owns: that wait and that head start. Must not touch: the store.
 */
import type { TLRecord } from '@drawbridge/shared'
import { DefaultFontFaces, type Editor, type TLFontFace, type TLShape } from 'tldraw'
import { assetUrls } from './tldrawAssets'

/** A font that never loads must not keep the board hidden: the shapes go in after this at most. */
const FONT_WAIT_MS = 3_000

/** Whether a face like `face` is in `document.fonts` and loaded (its state, without waiting for it). */
function isLoaded(face: TLFontFace): boolean {
  const weight = face.weight ?? 'normal'
  const style = face.style ?? 'normal'
  for (const font of document.fonts)
    if (
      font.family === face.family &&
      font.weight === weight &&
      font.style === style &&
      font.status === 'loaded'
    )
      return true
  return false
}

/**
 * Calls `proceed` once every font `records`' shapes draw their labels in has loaded (after the wait
 * at most): at once, in this task, when they all have, so that nothing is put off to a later frame.
 */
export function whenFontsLoaded(editor: Editor, records: readonly TLRecord[], proceed: () => void): void {
  const faces = new Set<TLFontFace>()
  for (const record of records) {
    if (record.typeName !== 'shape') continue
    const shape = record as TLShape
    if (!editor.hasShapeUtil(shape.type)) continue
    for (const face of editor.getShapeUtil(shape).getFontFaces(shape)) faces.add(face)
  }
  const missing = [...faces].filter((face) => !isLoaded(face))
  if (missing.length === 0) {
    proceed()
    return
  }
  const loaded = Promise.all(missing.map((face) => editor.fonts.ensureFontIsLoaded(face)))
  const waited = new Promise<void>((resolve) => setTimeout(resolve, FONT_WAIT_MS))
  void Promise.race([loaded, waited]).then(proceed)
}

/**
 * Starts loading the regular face of every font family `records`' shapes use, before the editor
 * exists. The FontFace is built as tldraw builds its own (family, file and descriptors of its
 * `DefaultFontFaces`), so the editor finds it in `document.fonts` and uses it, already loaded or
 * loading; if it did not, the file would be in the browser's cache for the editor's own.
 */
export function preloadFontsOf(records: readonly TLRecord[]): void {
  const fontUrls: Record<string, string | undefined> = assetUrls.fonts ?? {}
  const families = new Set<string>()
  for (const record of records) {
    if (record.typeName !== 'shape') continue
    const font = (record.props as { font?: unknown }).font
    if (typeof font === 'string') families.add(`tldraw_${font}`)
  }
  for (const family of families) {
    const face = DefaultFontFaces[family as keyof typeof DefaultFontFaces]?.normal.normal
    const url = face && fontUrls[face.src.url]
    if (!face || !url) continue
    const known = [...document.fonts].some(
      (existing) =>
        existing.family === face.family && existing.weight === 'normal' && existing.style === 'normal',
    )
    if (known) continue
    const instance = new FontFace(face.family, `url(${JSON.stringify(url)})`, {
      weight: 'normal',
      style: 'normal',
      display: 'swap',
    })
    document.fonts.add(instance)
    instance.load().catch(() => {})
  }
}
