/** The co-pilot's diagram model: spec, offline planner, layout, records, board text and edits. */

export {
  containsBox,
  FREE_SPACE_GAP,
  findFreeSpace,
  findSpaceInView,
  pageBoxOf,
  pageOf,
  unionOf,
} from './boardGeometry'
export {
  type BoardDescription,
  type BoardItem,
  type DescribeOptions,
  describeBoard,
  labelOf,
} from './boardText'
export { applyEditOperations, type BoardEdit, type EditOptions } from './editBoard'
export { edgeLabelSize, FONT_PX, measureText, nodeSize, type Size, wrapText } from './labelSize'
export {
  type Box,
  type DiagramLayout,
  elkOptions,
  type LaidOutEdge,
  layoutDiagram,
  type Point,
} from './layout'
export { MAX_PROBLEMS } from './lenientValues'
export { parseDiagramSpecLeniently } from './parseLenient'
export { parseEditOperationsLeniently } from './parseLenientEdits'
export { arrowBindingIds, jobShapeId, shortHash } from './recordIds'
export { seededRandom, syntheticDiagram } from './sampleDiagrams'
export * from './spec'
export * from './textPlans'
export {
  arrowheadsFor,
  type DiagramRecordOptions,
  type DiagramRecords,
  diagramToRecords,
  nodeRecord,
} from './toRecords'
