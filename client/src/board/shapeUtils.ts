/**
 * The shape utils every board view draws with (the live board and version previews): tldraw's
 * own, except that a geo shape with draw.io's label layout (`meta.labelPadding` in page px and
 * `meta.labelLineHeight`, set by the draw.io import) draws its label with them instead of
 * tldraw's 16 px × scale and 1.35, so draw.io labels that fit their box in draw.io fit it here.
 * Must not touch: the document schema (props and migrations stay tldraw's).
 */
import { labelLineHeightOf, labelPaddingOf } from '@drawbridge/shared'
import { GeoShapeUtil, type TLAnyShapeUtilConstructor } from 'tldraw'

const DrawioGeoShapeUtil = GeoShapeUtil.configure({
  getCustomDisplayValues(_editor, shape) {
    const padding = labelPaddingOf(shape.meta)
    const lineHeight = labelLineHeightOf(shape.meta)
    return {
      // tldraw lays the label out at w / scale and scales it down: padding in those units.
      ...(padding === undefined ? {} : { labelPadding: padding / shape.props.scale }),
      ...(lineHeight === undefined ? {} : { labelLineHeight: lineHeight }),
    }
  },
})

/** Passed as `shapeUtils` to <Tldraw>: replaces tldraw's geo util, keeps every other default. */
export const boardShapeUtils: TLAnyShapeUtilConstructor[] = [DrawioGeoShapeUtil]
