import { constants, deflateRawSync, deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { compressDiagram } from './codec'
import { mxfileToRecords } from './importMxfile'
import {
  INFLATE_LIMIT_ERROR,
  INFLATE_STEP_BYTES,
  inflateBounded,
  MAX_STEP_OUTPUT_BYTES,
} from './inflateBounded'

const MIB = 1024 * 1024
const LIMIT = 20 * MIB

/** Refused at the limit, having inflated at most about one step's output past it (not the whole bomb). */
function expectStoppedAtLimit(result: ReturnType<typeof inflateBounded>): void {
  expect(result).toMatchObject({ ok: false, error: INFLATE_LIMIT_ERROR })
  const inflated = result.ok ? Number.POSITIVE_INFINITY : result.inflatedBytes
  expect(inflated).toBeGreaterThan(LIMIT)
  expect(inflated).toBeLessThanOrEqual(LIMIT + 2 * MAX_STEP_OUTPUT_BYTES)
}

/**
 * A raw deflate stream of `totalMiB` MiB of zeros, built cheaply: one full-flushed (byte-aligned,
 * non-final) deflate of 64 MiB of zeros repeated, then an empty final block — as an attacker would.
 */
function zeroBomb(totalMiB: number): Uint8Array {
  const unitMiB = 64
  const unit = deflateRawSync(new Uint8Array(unitMiB * MIB), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  })
  const repeats = Math.ceil(totalMiB / unitMiB)
  const out = new Uint8Array(unit.length * repeats + 2)
  for (let i = 0; i < repeats; i++) out.set(unit, i * unit.length)
  out.set([0x03, 0x00], unit.length * repeats) // final fixed-Huffman block, empty
  return out
}

describe('inflateBounded', () => {
  it('refuses a raw deflate bomb (3 GiB of zeros from ~3 MB) at the limit', () => {
    const bomb = zeroBomb(3 * 1024)
    expect(bomb.length).toBeLessThan(4 * MIB)
    expectStoppedAtLimit(inflateBounded(bomb, LIMIT, 'raw'))
  })

  it('refuses a zlib bomb (512 MiB of zeros, as in a PNG zTXt chunk) at the limit', () => {
    const raw = zeroBomb(512)
    const zlib = new Uint8Array(raw.length + 6)
    zlib.set([0x78, 0xda])
    zlib.set(raw, 2) // the Adler-32 trailer is never reached
    expectStoppedAtLimit(inflateBounded(zlib, LIMIT, 'zlib'))
  })

  it('inflates input of many steps exactly, up to the limit itself', () => {
    const text = new Uint8Array(3 * MIB)
    let seed = 1
    for (let i = 0; i < text.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      text[i] = 0x61 + (seed >>> 27) // letters a…p in no pattern deflate can shrink much
    }
    const compressed = deflateSync(text)
    expect(compressed.length).toBeGreaterThan(INFLATE_STEP_BYTES * 4)
    const inflated = inflateBounded(compressed, text.length, 'zlib')
    expect(inflated.ok && Buffer.from(inflated.bytes).equals(Buffer.from(text))).toBe(true)
    expect(inflateBounded(compressed, text.length - 1, 'zlib')).toMatchObject({
      ok: false,
      error: INFLATE_LIMIT_ERROR,
    })
  })

  it('says so when the data is truncated or not deflate at all', () => {
    const compressed = deflateRawSync(new TextEncoder().encode('hello '.repeat(10_000)))
    expect(inflateBounded(compressed.subarray(0, compressed.length - 5), LIMIT, 'raw')).toMatchObject({
      ok: false,
      error: 'compressed data does not inflate',
    })
    expect(inflateBounded(new Uint8Array([0xff, 0xff, 0xff]), LIMIT, 'zlib').ok).toBe(false)
  })
})

describe('compressed pages of one file', () => {
  it('share one inflate budget: eight 3 MiB pages are refused, where each alone fits', () => {
    const page = compressDiagram(
      `<mxGraphModel><root><mxCell id="0"/></root><!-- ${'x'.repeat(3 * MIB)} --></mxGraphModel>`,
    )
    const file = (pages: number) =>
      `<mxfile>${Array.from({ length: pages }, () => `<diagram>${page}</diagram>`).join('')}</mxfile>`
    expect(mxfileToRecords(file(1), { pageId: FIRST_PAGE_ID }).ok).toBe(true)
    expect(mxfileToRecords(file(8), { pageId: FIRST_PAGE_ID })).toMatchObject({
      ok: false,
      error: INFLATE_LIMIT_ERROR,
    })
  })
})
