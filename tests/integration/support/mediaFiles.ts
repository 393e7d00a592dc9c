/**
 * Files for asset tests: real, decodable PNGs of any size and colour (built here, no fixtures on
 * disk), the first bytes of the other accepted types, and files that only pretend to be images.
 */
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.byteLength, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/**
 * A width×height RGB PNG filled with `rgb`; `noise` adds pseudo-random pixels (seeded) so the
 * file does not compress away — handy for files of a given size.
 */
export function png(
  width: number,
  height: number,
  rgb: [number, number, number] = [37, 99, 235],
  noise = 0,
): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height)
  let seed = noise
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        rows[row + 1 + x * 3 + c] = noise ? seed >>> 24 : rgb[c]!
      }
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ])
}

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n' +
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="alert(1)">' +
    '<script>alert(document.cookie)</script><rect width="40" height="40" fill="red"/></svg>',
)

export const HTML_PAGE = Buffer.from(
  '<!DOCTYPE html><html><body><script>fetch("/api/rooms",{method:"POST"})</script></body></html>',
)

/** The first bytes of each accepted type (enough for sniffing, not for decoding). */
export const SIGNATURES = {
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  'image/gif': Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'),
  'image/webp': Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]),
  'video/mp4': Buffer.concat([
    Buffer.from([0, 0, 0, 0x20]),
    Buffer.from('ftypisom\0\0\x02\0isomiso2avc1mp41'),
  ]),
  'video/webm': Buffer.from([
    0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04,
    0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d, 0x42, 0x87, 0x81, 0x04,
  ]),
} as const
