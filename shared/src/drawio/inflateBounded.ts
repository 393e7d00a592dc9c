/**
 * Inflating untrusted deflate/zlib data (compressed `<diagram>` payloads, `.drawio.png` text
 * chunks) in small steps, stopping at a size limit: a deflate bomb costs at most the limit plus
 * one step of output, never what it would inflate to. Must not touch: base64, XML, records.
 */
import { Inflate, Unzlib } from 'fflate'

/** On refusal, `inflatedBytes` says how far inflating went before it stopped. */
export type Inflated = { ok: true; bytes: Uint8Array } | { ok: false; error: string; inflatedBytes: number }

/**
 * Compressed bytes handed to the inflater per step. Deflate expands at most ~1032:1, so one step
 * produces at most {@link MAX_STEP_OUTPUT_BYTES}: the memory a bomb can cost past the limit, and
 * the work done before the limit is noticed.
 */
export const INFLATE_STEP_BYTES = 4 * 1024
export const MAX_STEP_OUTPUT_BYTES = INFLATE_STEP_BYTES * 1032

export const INFLATE_LIMIT_ERROR = 'compressed data inflates past the size limit'

class SizeLimitError extends Error {}

/**
 * Inflates raw deflate or zlib data, pushing {@link INFLATE_STEP_BYTES} at a time and stopping as
 * soon as the output passes `maxBytes`. Never throws.
 */
export function inflateBounded(bytes: Uint8Array, maxBytes: number, format: 'raw' | 'zlib'): Inflated {
  const chunks: Uint8Array[] = []
  let total = 0
  const onData = (chunk: Uint8Array) => {
    total += chunk.length
    if (total > maxBytes) throw new SizeLimitError()
    // fflate reuses nothing it hands out, but the chunk may be a view of a larger buffer.
    if (chunk.length > 0) chunks.push(chunk)
  }
  try {
    const stream = format === 'raw' ? new Inflate(onData) : new Unzlib(onData)
    let at = 0
    do {
      const next = Math.min(at + INFLATE_STEP_BYTES, bytes.length)
      stream.push(bytes.subarray(at, next), next === bytes.length)
      at = next
    } while (at < bytes.length)
  } catch (error) {
    const inflatedBytes = total
    if (error instanceof SizeLimitError) return { ok: false, error: INFLATE_LIMIT_ERROR, inflatedBytes }
    return { ok: false, error: 'compressed data does not inflate', inflatedBytes }
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return { ok: true, bytes: out }
}
