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

/** A face's weight and style, as `DefaultFontFaces` keys them (`[style][weight]`). */
type Variant = { style: 'normal' | 'italic'; weight: 'normal' | 'bold' }

const REGULAR: Variant = { style: 'normal', weight: 'normal' }
/** Nodes looked at per label at most: a label is a few paragraphs, not thousands of nodes. */
const MAX_NODES_PER_LABEL = 2_000

/** The variants a label's rich text is drawn in: the regular face, and one per combination of bold and italic marks. */
function variantsOf(richText: unknown, into: Map<string, Variant>): void {
  into.set('normal normal', REGULAR)
  const stack: unknown[] = [richText]
  for (let seen = 0; stack.length > 0 && seen < MAX_NODES_PER_LABEL; seen++) {
    const node = stack.pop()
    if (!node || typeof node !== 'object') continue
    const { marks, content } = node as { marks?: unknown; content?: unknown }
    if (Array.isArray(marks) && marks.length > 0) {
      const types = new Set(marks.map((mark) => (mark as { type?: unknown } | null)?.type))
      const variant: Variant = {
        style: types.has('italic') ? 'italic' : 'normal',
        weight: types.has('bold') ? 'bold' : 'normal',
      }
      into.set(`${variant.style} ${variant.weight}`, variant)
    }
    if (Array.isArray(content)) stack.push(...content)
  }
}

/**
 * Starts loading every face `records`' labels are drawn in — each font family's regular face, and its
 * bold and italic faces where a label's marks use them — before the editor exists. The FontFace is
 * built as tldraw builds its own (family, file and descriptors of its `DefaultFontFaces`), so the
 * editor finds it in `document.fonts` and uses it, already loaded or loading; if it did not, the file
 * would be in the browser's cache for the editor's own. Without the bold face's head start, a slow
 * machine could pass `FONT_WAIT_MS` before it arrived, and bold words were measured in a fallback.
 */
export function preloadFontsOf(records: readonly TLRecord[]): void {
  const fontUrls: Record<string, string | undefined> = assetUrls.fonts ?? {}
  const variantsByFamily = new Map<string, Map<string, Variant>>()
  for (const record of records) {
    if (record.typeName !== 'shape') continue
    const { font, richText } = record.props as { font?: unknown; richText?: unknown }
    if (typeof font !== 'string') continue
    const family = `tldraw_${font}`
    let variants = variantsByFamily.get(family)
    if (!variants) {
      variants = new Map()
      variantsByFamily.set(family, variants)
    }
    variantsOf(richText, variants)
  }
  for (const [family, variants] of variantsByFamily) {
    for (const { style, weight } of variants.values()) {
      const face = DefaultFontFaces[family as keyof typeof DefaultFontFaces]?.[style][weight]
      const url = face && fontUrls[face.src.url]
      if (!face || !url) continue
      const known = [...document.fonts].some(
        (existing) =>
          existing.family === face.family && existing.weight === weight && existing.style === style,
      )
      if (known) continue
      const instance = new FontFace(face.family, `url(${JSON.stringify(url)})`, {
        weight,
        style,
        display: 'swap',
      })
      document.fonts.add(instance)
      instance.load().catch(() => {})
    }
  }
}
