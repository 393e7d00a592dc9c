/**
 * The compressed `<diagram>` payload exactly as draw.io writes it: base64 of the raw-deflated
 * (no zlib header) `encodeURIComponent(xml)`, plus base64 and latin-1 helpers that need no Buffer
 * and no DOM. Must not touch: XML structure, records.
 */
import { deflateSync, strFromU8, strToU8 } from 'fflate'
import { inflateBounded } from './inflateBounded'

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BASE64_LOOKUP = new Map([...BASE64_ALPHABET].map((c, i) => [c, i]))
/** draw.io compresses with pako's defaults: level -1, which zlib (and pako) treat as 6. */
const DEFLATE_LEVEL = 6

/** Standard base64 (with padding) of bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0)
    out += BASE64_ALPHABET[(triple >> 18) & 63]! + BASE64_ALPHABET[(triple >> 12) & 63]!
    out += b === undefined ? '=' : BASE64_ALPHABET[(triple >> 6) & 63]!
    out += c === undefined ? '=' : BASE64_ALPHABET[triple & 63]!
  }
  return out
}

/** Decodes base64 (whitespace ignored); null when a character is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/[\s=]/g, '')
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let bits = 0
  let value = 0
  let index = 0
  for (const char of clean) {
    const digit = BASE64_LOOKUP.get(char)
    if (digit === undefined) return null
    value = (value << 6) | digit
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[index++] = (value >> bits) & 0xff
    }
  }
  return out.subarray(0, index)
}

/** Compresses one page's `<mxGraphModel>` XML the way draw.io does. */
export function compressDiagram(xml: string): string {
  const uriEncoded = encodeURIComponent(xml)
  return encodeBase64(deflateSync(strToU8(uriEncoded, true), { level: DEFLATE_LEVEL }))
}

export type Decoded = { ok: true; text: string } | { ok: false; error: string }

/** Reverses {@link compressDiagram}; never throws. `maxBytes` caps the inflated size. */
export function decompressDiagram(payload: string, maxBytes: number): Decoded {
  const bytes = decodeBase64(payload)
  if (!bytes) return { ok: false, error: 'compressed diagram is not base64' }
  const inflated = inflateBounded(bytes, maxBytes, 'raw')
  if (!inflated.ok) return inflated
  try {
    return { ok: true, text: decodeURIComponent(latin1(inflated.bytes)) }
  } catch {
    return { ok: false, error: 'compressed diagram is not URI-encoded text' }
  }
}

/** Bytes as a latin-1 string (PNG text chunks are latin-1). */
export function latin1(bytes: Uint8Array): string {
  return strFromU8(bytes, true)
}

/** Bytes as UTF-8 text. */
export function utf8(bytes: Uint8Array): string {
  return strFromU8(bytes)
}
