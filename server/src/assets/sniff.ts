/**
 * What a file is, decided from its first bytes (its "magic"), never from what the uploader claims.
 * Only the types a board shows are recognised: PNG, JPEG, GIF, WebP, SVG, MP4 and WebM; anything
 * else (HTML, PDF, executables, Matroska, HEIC…) is `undefined`. Pure: no I/O.
 */

export const ASSET_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/svg+xml',
  'video/mp4',
  'video/webm',
] as const

export type AssetMimeType = (typeof ASSET_MIME_TYPES)[number]

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]
const EBML = [0x1a, 0x45, 0xdf, 0xa3]

/** ISO-BMFF major brands of MP4 video (HEIC/AVIF images and QuickTime share the box format). */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'M4V ',
  'M4VP',
  'dash',
  'mmp4',
  'MSNV',
  'NDAS',
  'f4v ',
])

/** How far into a text file the `<svg` root may start (after an XML declaration, comments, DOCTYPE). */
const SVG_HEAD_BYTES = 4096
/** Where WebM's DocType element must appear: inside the EBML header, near the start. */
const EBML_HEAD_BYTES = 64

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false
  return signature.every((byte, i) => bytes[offset + i] === byte)
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)))
}

function isWebm(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, EBML)) return false
  // The DocType element (id 0x4282) holds "webm"; Matroska files (.mkv) say "matroska".
  const head = bytes.subarray(0, EBML_HEAD_BYTES)
  for (let i = 4; i + 6 < head.length; i++) {
    if (head[i] === 0x42 && head[i + 1] === 0x82) {
      // The element's size is an EBML varint: one byte (0x84 → 4) or two (0x40 0x04 → 4).
      const first = head[i + 2]!
      const [size, start] =
        first & 0x80 ? [first & 0x7f, i + 3] : [((first & 0x3f) << 8) | (head[i + 3] ?? 0), i + 4]
      return ascii(head, start, start + size) === 'webm'
    }
  }
  return false
}

function isMp4(bytes: Uint8Array): boolean {
  // [size:4]['ftyp'][major brand:4]
  return bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp' && MP4_BRANDS.has(ascii(bytes, 8, 12))
}

/**
 * SVG is text: after an optional BOM and whitespace, an XML declaration, comments, processing
 * instructions and a DOCTYPE may come first; the root element must then be `<svg`.
 */
function isSvg(bytes: Uint8Array): boolean {
  let text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SVG_HEAD_BYTES))
  text = text.replace(/^\uFEFF/, '')
  for (;;) {
    const trimmed = text.trimStart()
    const skipped =
      /^<\?[\s\S]*?\?>/.exec(trimmed) ?? // <?xml …?>, <?xml-stylesheet …?>
      /^<!--[\s\S]*?-->/.exec(trimmed) ??
      /^<!DOCTYPE\s+svg\b[^[>]*(\[[\s\S]*?\])?\s*>/i.exec(trimmed)
    if (!skipped) return /^<svg[\s>/]/.test(trimmed) || /^<[A-Za-z_][\w.-]*:svg[\s>/]/.test(trimmed)
    text = trimmed.slice(skipped[0].length)
  }
}

/** The type of `bytes`, or undefined when it is none of the types a board accepts. */
export function sniffAssetType(bytes: Uint8Array): AssetMimeType | undefined {
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, JPEG)) return 'image/jpeg'
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a'))
    return 'image/gif'
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return 'image/webp'
  if (isMp4(bytes)) return 'video/mp4'
  if (isWebm(bytes)) return 'video/webm'
  if (isSvg(bytes)) return 'image/svg+xml'
  return undefined
}
