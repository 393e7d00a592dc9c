/** The co-pilot's diagram model: spec, offline planner, layout, records, board text and edits. */
export { MAX_PROBLEMS, parseDiagramSpecLeniently, parseEditOperationsLeniently } from './parseLenient'
export * from './spec'
export * from './textPlans'
