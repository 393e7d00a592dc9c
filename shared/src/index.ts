/** @drawbridge/shared: the document schema and helpers every Drawbridge peer uses. */

// Fractional index helpers and record types, re-exported so peers depend on one tldraw version via shared.
export type { TLArrowBinding, TLRecord, TLShape, TLShapeId } from '@tldraw/tlschema'
export { getIndexAbove, getIndexBetween, getIndices, type IndexKey } from '@tldraw/utils'
export { ASSET_PATH_PREFIX, assetPath, parseAssetSrc } from './assets/assetUrls'
export * from './diagram'
export {
  type ChatMessage,
  ChatMessageSchema,
  type ContractCheck,
  checkChatMessage,
  checkMetaEntry,
  checkRecordEntry,
  isPlainObject,
} from './document/contract'
export {
  CHAT_KEY,
  DOC_ROOT_NAMES,
  type DocRecords,
  diffRecords,
  META_KEY,
  openMeta,
  openRecords,
  RECORDS_KEY,
  type RecordChanges,
  readTitle,
  writeRecords,
} from './document/doc'
export {
  DRAWIO_LINE_HEIGHT,
  LABEL_LINE_HEIGHT_META_KEY,
  LABEL_PADDING_META_KEY,
  labelLineHeightOf,
  labelPaddingOf,
  MAX_LABEL_PADDING,
  TLDRAW_LABEL_PADDING,
} from './document/labelPadding'
export { readChat, readRecords, type SkipReporter } from './document/readDocument'
export { type KeyValueChange, RecordStore } from './document/recordStore'
export {
  type ArrowOptions,
  buildBoundArrow,
  buildDocumentRecord,
  buildFrameShape,
  buildGeoShape,
  buildNoteShape,
  buildPage,
  buildTextShape,
  FIRST_PAGE_ID,
  type FrameOptions,
  type GeoOptions,
  type NoteOptions,
  type ShapePlacement,
  type TextOptions,
} from './document/records'
export {
  DOCUMENT_RECORD_TYPES,
  drawbridgeSchema,
  isDocumentRecord,
  type RecordValidation,
  validateDocumentRecord,
} from './document/schema'
export {
  compareSchema,
  currentSchema,
  migrateRecord,
  readDocSchema,
  type SchemaRelation,
  writeDocSchema,
} from './document/schemaVersion'
export { encodeSeededRoom, seedRoomDoc } from './document/seed'
export {
  MAX_SHAPES_PER_PAGE,
  pageOverLimit,
  roomForShapes,
  ShapeLimitError,
  shapeLimitWords,
  shapesOnPage,
  shapesPerPage,
} from './document/shapeLimit'
export {
  assetIdsForExport,
  type Box,
  boundsOf,
  compressDiagram,
  decompressDiagram,
  diagramIdOf,
  type ExportOptions,
  type ExtractedImage,
  fillImageSource,
  IMPORT_LIMITS,
  type ImportedPage,
  type ImportOptions,
  type MxfileExport,
  type MxfileImport,
  mxfileToRecords,
  recordsToMxfile,
  replaceImageWithPlaceholder,
  ShapeIndex,
  shapePageBounds,
  type UnmappedRecord,
  unionBoxes,
} from './drawio'
export {
  AwarenessState,
  AwarenessUser,
  PeerKind,
  parseAwarenessState,
} from './presence/awareness'
export * from './protocol/accounts'
export * from './protocol/appConfig'
export * from './protocol/assets'
export * from './protocol/copilot'
export * from './protocol/drawio'
export * from './protocol/health'
export * from './protocol/http'
export * from './protocol/links'
export * from './protocol/plans'
export * from './protocol/rooms'
export * from './protocol/usage'
export * from './protocol/versions'
export { CloseCode, describeCloseCode, isFinalCloseCode } from './sync/closeCodes'
export { DEFAULT_MAX_UPDATE_BYTES, encodedValueBytes, estimateUpdateBytes } from './sync/updateSize'
