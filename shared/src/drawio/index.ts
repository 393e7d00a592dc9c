/**
 * draw.io interoperability: board records ⇄ `<mxfile>` XML. Pure functions for the server, the
 * client and the agent. Must not touch: Yjs, sockets, storage, the DOM.
 */
export { boundsOf, shapePageBounds } from './bounds'
export { compressDiagram, decompressDiagram } from './codec'
export {
  type ExtractedImage,
  fillImageSource,
  replaceImageWithPlaceholder,
} from './embeddedImages'
export { assetIdsForExport } from './exportAssets'
export {
  diagramIdOf,
  type ExportOptions,
  type MxfileExport,
  recordsToMxfile,
  type UnmappedRecord,
} from './exportMxfile'
export { type Box, ShapeIndex, unionBoxes } from './geometry'
export { type ImportedPage, type ImportOptions, type MxfileImport, mxfileToRecords } from './importMxfile'
export { IMPORT_LIMITS } from './limits'
export { PALETTE } from './palette'
