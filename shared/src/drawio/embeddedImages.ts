/**
 * Images embedded in draw.io styles (`image=data:image/png,<base64>`, often 10–500 KB): taken out
 * of the style before the style is checked (so the style limit applies to the style without its
 * image data), decoded once per distinct image, and handed to the caller as bytes with an id; the
 * caller stores them (content-addressed asset store) and fills the asset's `src`. A board never
 * holds base64. Also the pure record edits the caller needs afterwards (fill a source, turn an
 * image that could not be stored into a labelled placeholder). Must not touch: I/O, XML parsing.
 */
import type { TLAssetId, TLRecord, TLShape } from '@tldraw/tlschema'
import { plainToRichText } from './richText'

/** An image taken out of the file, for the caller to store. */
export interface ExtractedImage {
  /** The asset record (in the import's `records`) whose `src` the caller fills. */
  assetId: TLAssetId
  mimeType: string
  bytes: Uint8Array
}

/** Style value an embedded image is replaced with: its index among the file's distinct images. */
export const EMBEDDED_PREFIX = 'drawbridge-embedded:'
/** Style value of an embedded image that was over the per-image limit (its decoded byte size). */
export const OVERSIZED_PREFIX = 'drawbridge-oversized:'
/** Style value of an embedded image whose data could not be decoded. */
export const UNREADABLE_IMAGE = 'drawbridge-unreadable'

const IMAGE_MIME = /^image\/(png|jpe?g|gif|webp|svg\+xml|bmp)$/i
// `image=data:<type>[;base64],<data>` up to the next `;` (draw.io's form has no `;base64`).
const DATA_IMAGE = /(^|;)(\s*image\s*=\s*)data:([\w.+/-]+)(;base64)?,([^;]*)/g

export interface DecodedImage {
  mimeType: string
  bytes: Uint8Array
}

function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '').replace(/%2B/gi, '+').replace(/%2F/gi, '/').replace(/%3D/gi, '=')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null
  try {
    const binary = atob(clean)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return null
  }
}

/** A data URI's payload as bytes: base64 first (draw.io's form), else URI-encoded text (SVG). */
function decodePayload(mimeType: string, payload: string): Uint8Array | null {
  const base64 = decodeBase64(payload)
  if (base64 && base64.byteLength > 0) return base64
  if (!/svg/i.test(mimeType)) return null
  try {
    return new TextEncoder().encode(decodeURIComponent(payload))
  } catch {
    return null
  }
}

/** Base64 decodes to 3/4 of its length: refuse an oversized image before decoding it. */
const decodedLength = (payload: string) => Math.floor((payload.length * 3) / 4)

/**
 * The distinct embedded images of one file. `take` rewrites a style, replacing each image's data
 * with a short reference; identical images (same data) share one entry.
 */
export class ImageCollector {
  readonly images: DecodedImage[] = []
  private readonly byData = new Map<string, number>()

  constructor(private readonly maxImageBytes: number) {}

  take(style: string): string {
    if (!style.includes('data:')) return style
    return style.replace(
      DATA_IMAGE,
      (_all, lead: string, key: string, mime: string, _b64, payload: string) => {
        const known = this.byData.get(payload)
        if (known !== undefined) return `${lead}${key}${EMBEDDED_PREFIX}${known}`
        if (!IMAGE_MIME.test(mime)) return `${lead}${key}${UNREADABLE_IMAGE}`
        const size = decodedLength(payload)
        if (size > this.maxImageBytes) return `${lead}${key}${OVERSIZED_PREFIX}${size}`
        const bytes = decodePayload(mime, payload)
        if (!bytes) return `${lead}${key}${UNREADABLE_IMAGE}`
        if (bytes.byteLength > this.maxImageBytes)
          return `${lead}${key}${OVERSIZED_PREFIX}${bytes.byteLength}`
        this.images.push({ mimeType: mime.toLowerCase().replace('jpg', 'jpeg'), bytes })
        this.byData.set(payload, this.images.length - 1)
        return `${lead}${key}${EMBEDDED_PREFIX}${this.images.length - 1}`
      },
    )
  }
}

/** Placeholder labels at draw.io's 12 px (tldraw's `s` label is 18 px at scale 1). */
const PLACEHOLDER_SCALE = 12 / 18
const KIB = 1024
const MIB = KIB * KIB
export const formatSize = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / KIB)} KiB`

/** The records with one asset's `src` set (the URL the caller stored the image under). */
export function fillImageSource(records: readonly TLRecord[], assetId: string, src: string): TLRecord[] {
  return records.map((record) =>
    record.typeName === 'asset' && record.id === assetId && record.type === 'image'
      ? { ...record, props: { ...record.props, src } }
      : record,
  )
}

/**
 * The records without an image asset the caller could not store: every image shape using it
 * becomes a rectangle of the same bounds labelled with `reason`, and the asset record goes.
 */
export function replaceImageWithPlaceholder(
  records: readonly TLRecord[],
  assetId: string,
  reason: string,
): TLRecord[] {
  const out: TLRecord[] = []
  for (const record of records) {
    if (record.typeName === 'asset' && record.id === assetId) continue
    if (record.typeName === 'shape' && record.type === 'image' && record.props.assetId === assetId) {
      out.push(imagePlaceholder(record, record.props.w, record.props.h, reason))
      continue
    }
    out.push(record)
  }
  return out
}

/** A dashed grey rectangle standing in for an image, labelled with why. */
export function imagePlaceholder(
  base: Omit<TLShape, 'type' | 'props'>,
  w: number,
  h: number,
  reason: string,
) {
  return {
    ...base,
    type: 'geo',
    props: {
      geo: 'rectangle',
      dash: 'dashed',
      url: '',
      w,
      h,
      growY: 0,
      scale: PLACEHOLDER_SCALE,
      flipX: false,
      flipY: false,
      labelColor: 'grey',
      color: 'grey',
      fill: 'none',
      size: 's',
      font: 'sans',
      align: 'middle',
      verticalAlign: 'middle',
      richText: plainToRichText(reason),
    },
  } as TLShape
}
