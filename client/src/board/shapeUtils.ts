/**
 * The shape utils every board view draws with (the live board and version previews): tldraw's
 * own, except that a geo shape with its own label padding (`meta.labelPadding`, page px, set by the
 * draw.io import from a cell's `spacing`) draws its label with that padding instead of tldraw's
 * 16 px × scale, so draw.io labels that fit their box in draw.io fit it here.
 * Must not touch: the document schema (props and migrations stay tldraw's).
 */
import { labelPaddingOf } from '@drawbridge/shared'
import { GeoShapeUtil, type TLAnyShapeUtilConstructor } from 'tldraw'

const DrawioGeoShapeUtil = GeoShapeUtil.configure({
  getCustomDisplayValues(_editor, shape) {
    const padding = labelPaddingOf(shape.meta)
    // tldraw lays the label out at w / scale and scales it down: padding in those units.
    return padding === undefined ? {} : { labelPadding: padding / shape.props.scale }
  },
})

/** Passed as `shapeUtils` to <Tldraw>: replaces tldraw's geo util, keeps every other default. */
export const boardShapeUtils: TLAnyShapeUtilConstructor[] = [DrawioGeoShapeUtil]
