/**
 * Deflate bombs built as an attacker would, cheaply: a full-flushed (byte-aligned, non-final) raw
 * deflate of 64 MiB of zeros repeated, then an empty final block — about 1 byte in 1,000 — wrapped
 * as a draw.io `<diagram>` payload, a zlib stream or a `.drawio.png` text chunk.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib'

const MIB = 1024 * 1024
const UNIT_MIB = 64
const FINAL_EMPTY_BLOCK = [0x03, 0x00]

let unit: Buffer | undefined

/** Raw deflate that inflates to `totalMiB` MiB of zeros (rounded up to 64 MiB). */
export function rawZeroBomb(totalMiB: number): Uint8Array {
  unit ??= deflateRawSync(new Uint8Array(UNIT_MIB * MIB), { level: 9, finishFlush: constants.Z_FULL_FLUSH })
  const repeats = Math.ceil(totalMiB / UNIT_MIB)
  const out = new Uint8Array(unit.length * repeats + FINAL_EMPTY_BLOCK.length)
  for (let i = 0; i < repeats; i++) out.set(unit, i * unit.length)
  out.set(FINAL_EMPTY_BLOCK, unit.length * repeats)
  return out
}

/** The same as a zlib stream (header; the Adler-32 trailer is zeros — never reached by a bounded reader). */
export function zlibZeroBomb(totalMiB: number): Uint8Array {
  const raw = rawZeroBomb(totalMiB)
  const out = new Uint8Array(2 + raw.length + 4)
  out.set([0x78, 0xda])
  out.set(raw, 2)
  return out
}

/** A `.drawio` file whose one compressed `<diagram>` inflates to `totalMiB` MiB. */
export function drawioBomb(totalMiB: number): string {
  return `<mxfile host="app.diagrams.net"><diagram id="p" name="Page-1">${Buffer.from(rawZeroBomb(totalMiB)).toString('base64')}</diagram></mxfile>`
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

/** A 1×1 PNG carrying an `mxfile` text chunk: zTXt or compressed iTXt, holding a zlib bomb. */
export function drawioPngBomb(chunk: 'zTXt' | 'iTXt', totalMiB: number): Uint8Array {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(1, 0)
  header.writeUInt32BE(1, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  const keyword = Buffer.from('mxfile\0', 'latin1')
  // zTXt: method 0; iTXt: compressed, method 0, no language tag, no translated keyword.
  const prefix = chunk === 'zTXt' ? Buffer.from([0]) : Buffer.from([1, 0, 0, 0])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk(chunk, Buffer.concat([keyword, prefix, zlibZeroBomb(totalMiB)])),
    pngChunk('IEND', new Uint8Array(0)),
  ])
}
