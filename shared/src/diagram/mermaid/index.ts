/**
 * Mermaid without Mermaid: flowcharts, sequence, class, state and ER diagrams → diagram spec.
 * Owns: choosing the reader for a Mermaid text. Must not touch: records, layout, I/O.
 */

export { looksLikeMermaidFlowchart, parseMermaidFlowchart } from './flowchart'
export { cleanMermaidLabel } from './labels'
export { MERMAID_SHAPE_NAMES } from './shapes'
