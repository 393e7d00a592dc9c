/**
 * Untrusted file bytes or text → the mxfile/mxGraphModel XML text inside: plain `.drawio`/`.xml`,
 * `.drawio.svg` (the root svg's `content` attribute) and `.drawio.png` (a `tEXt`/`zTXt`/`iTXt`
 * chunk with keyword `mxfile`, URI-encoded; compressed chunks are inflated in bounded steps). Must not touch: cells, records.
 */
import { latin1, utf8 } from './codec'
import { inflateBounded } from './inflateBounded'
import { IMPORT_LIMITS } from './limits'
import { parseXmlTree, type XmlTree } from './xmlTree'

export type TextResult = { ok: true; text: string } | { ok: false; error: string }

/** An SVG file: optional XML declaration, comments and doctype, then `<svg`. */
const SVG_START = /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*>\s*)*<svg[\s>]/i
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const PNG_TEXT_KEYWORD = 'mxfile'
const CHUNK_HEADER_BYTES = 8
const CHUNK_CRC_BYTES = 4

function isPng(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
}

function chunkText(type: string, data: Uint8Array): TextResult | null {
  const nul = data.indexOf(0)
  if (nul < 0 || latin1(data.subarray(0, nul)) !== PNG_TEXT_KEYWORD) return null
  if (type === 'tEXt') return { ok: true, text: latin1(data.subarray(nul + 1)) }
  if (type === 'zTXt') {
    // keyword, NUL, compression method (0 = zlib), compressed latin-1 text.
    const inflated = inflateBounded(data.subarray(nul + 2), IMPORT_LIMITS.maxXmlBytes, 'zlib')
    return inflated.ok ? { ok: true, text: latin1(inflated.bytes) } : inflated
  }
  // iTXt: keyword, NUL, compression flag, method, language tag, NUL, translated keyword, NUL, UTF-8 text.
  const compressed = data[nul + 1] === 1
  const languageEnd = data.indexOf(0, nul + 3)
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1)
  if (translatedEnd < 0) return { ok: false, error: 'the PNG mxfile chunk is malformed' }
  const text = data.subarray(translatedEnd + 1)
  if (!compressed) return { ok: true, text: utf8(text) }
  const inflated = inflateBounded(text, IMPORT_LIMITS.maxXmlBytes, 'zlib')
  return inflated.ok ? { ok: true, text: utf8(inflated.bytes) } : inflated
}

/** The URI-encoded mxfile carried by a `.drawio.png`. */
function textFromPng(bytes: Uint8Array): TextResult {
  let at = PNG_SIGNATURE.length
  while (at + CHUNK_HEADER_BYTES <= bytes.length) {
    const length = readUint32(bytes, at)
    const type = latin1(bytes.subarray(at + 4, at + CHUNK_HEADER_BYTES))
    const start = at + CHUNK_HEADER_BYTES
    if (start + length > bytes.length) break
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const found = chunkText(type, bytes.subarray(start, start + length))
      if (found && !found.ok) return found
      if (found) {
        try {
          return { ok: true, text: decodeURIComponent(found.text) }
        } catch {
          return { ok: false, error: 'the PNG mxfile chunk is not URI-encoded' }
        }
      }
    }
    if (type === 'IEND') break
    at = start + length + CHUNK_CRC_BYTES
  }
  return { ok: false, error: 'the PNG carries no draw.io diagram' }
}

/**
 * Entity declarations and internal DTD subsets are refused outright (billion laughs, XXE). A plain
 * `<!DOCTYPE svg PUBLIC …>` (draw.io's SVG export has one) is allowed: the parser never loads it.
 */
const ENTITY_DECLARATION = /<!ENTITY|<!DOCTYPE[^>]*\[/i

/** Parses XML with a real parser that never expands or fetches entities. */
export function parseXml(text: string): { ok: true; doc: XmlTree } | { ok: false; error: string } {
  if (ENTITY_DECLARATION.test(text)) {
    return { ok: false, error: 'XML with a DOCTYPE subset or entity declarations is refused' }
  }
  try {
    const doc = parseXmlTree(text)
    if (!doc.documentElement) return { ok: false, error: 'the file has no XML root element' }
    return { ok: true, doc }
  } catch (error) {
    return {
      ok: false,
      error: `the file is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}

/** The mxfile (or mxGraphModel) XML held by an svg's root `content` attribute. */
function textFromSvg(doc: XmlTree): TextResult {
  const content = doc.documentElement?.getAttribute('content')
  return content ? { ok: true, text: content } : { ok: false, error: 'the SVG carries no draw.io diagram' }
}

/** Any supported input → the diagram XML text (not yet checked beyond size and format). */
export function diagramText(
  input: string | Uint8Array,
  maxFileBytes: number = IMPORT_LIMITS.maxFileBytes,
): TextResult {
  const size = typeof input === 'string' ? input.length : input.byteLength
  if (size > maxFileBytes) return { ok: false, error: `the file is larger than ${maxFileBytes} bytes` }
  if (typeof input !== 'string' && isPng(input)) return textFromPng(input)
  const text = typeof input === 'string' ? input : utf8(input)
  const trimmed = text.replace(/^\uFEFF/, '').trimStart()
  if (SVG_START.test(trimmed)) {
    const parsed = parseXml(trimmed)
    return parsed.ok ? textFromSvg(parsed.doc) : parsed
  }
  return { ok: true, text: trimmed }
}
