/**
 * Mermaid 11's shape catalogue (`A@{ shape: cyl }`, every short name and alias) and the bracket
 * shapes (`[ ]`, `( )`, `{ }`, …), each mapped to the nearest tldraw shape. Mermaid's own short name
 * travels with the node (`sourceShape` → `meta.mermaidShape`) so an export can draw its stencil.
 * Owns: the shape tables. Must not touch: statement parsing, records.
 */
import type { NodeShape } from '../spec'

interface CatalogueShape {
  /** Mermaid's short name. */
  name: string
  /** The nearest tldraw shape. */
  shape: NodeShape
  aliases: readonly string[]
}

/** Short name, nearest tldraw shape, aliases — in the order of Mermaid's shape table. */
const CATALOGUE: readonly CatalogueShape[] = [
  { name: 'rect', shape: 'rectangle', aliases: ['proc', 'process', 'rectangle', 'square', 'squareRect'] },
  { name: 'rounded', shape: 'oval', aliases: ['event', 'roundedRect'] },
  { name: 'stadium', shape: 'oval', aliases: ['terminal', 'pill'] },
  {
    name: 'fr-rect',
    shape: 'rectangle',
    aliases: ['subprocess', 'subproc', 'framed-rectangle', 'subroutine'],
  },
  { name: 'cyl', shape: 'rectangle', aliases: ['db', 'database', 'cylinder'] },
  { name: 'datastore', shape: 'rectangle', aliases: ['data-store'] },
  { name: 'circle', shape: 'ellipse', aliases: ['circ'] },
  { name: 'bang', shape: 'star', aliases: [] },
  { name: 'cloud', shape: 'cloud', aliases: [] },
  { name: 'diam', shape: 'diamond', aliases: ['decision', 'diamond', 'question'] },
  { name: 'hex', shape: 'hexagon', aliases: ['hexagon', 'prepare'] },
  { name: 'lean-r', shape: 'parallelogram', aliases: ['lean-right', 'in-out', 'lean_right'] },
  { name: 'lean-l', shape: 'parallelogram', aliases: ['lean-left', 'out-in', 'lean_left'] },
  { name: 'trap-b', shape: 'trapezoid', aliases: ['priority', 'trapezoid-bottom', 'trapezoid'] },
  {
    name: 'trap-t',
    shape: 'trapezoid',
    aliases: ['manual', 'trapezoid-top', 'inv-trapezoid', 'inv_trapezoid'],
  },
  { name: 'dbl-circ', shape: 'ellipse', aliases: ['double-circle', 'doublecircle'] },
  { name: 'text', shape: 'text', aliases: [] },
  { name: 'notch-rect', shape: 'rectangle', aliases: ['card', 'notched-rectangle'] },
  {
    name: 'lin-rect',
    shape: 'rectangle',
    aliases: ['lined-rectangle', 'lined-process', 'lin-proc', 'shaded-process'],
  },
  { name: 'sm-circ', shape: 'ellipse', aliases: ['start', 'small-circle', 'stateStart'] },
  { name: 'fr-circ', shape: 'ellipse', aliases: ['stop', 'framed-circle', 'stateEnd'] },
  { name: 'fork', shape: 'rectangle', aliases: ['join', 'forkJoin'] },
  { name: 'hourglass', shape: 'rectangle', aliases: ['collate'] },
  { name: 'brace', shape: 'text', aliases: ['comment', 'brace-l'] },
  { name: 'brace-r', shape: 'text', aliases: [] },
  { name: 'braces', shape: 'text', aliases: [] },
  { name: 'bolt', shape: 'rectangle', aliases: ['com-link', 'lightning-bolt'] },
  { name: 'doc', shape: 'rectangle', aliases: ['document'] },
  { name: 'delay', shape: 'oval', aliases: ['half-rounded-rectangle'] },
  { name: 'h-cyl', shape: 'oval', aliases: ['das', 'horizontal-cylinder'] },
  { name: 'lin-cyl', shape: 'rectangle', aliases: ['disk', 'lined-cylinder'] },
  { name: 'curv-trap', shape: 'rectangle', aliases: ['curved-trapezoid', 'display'] },
  {
    name: 'div-rect',
    shape: 'rectangle',
    aliases: ['div-proc', 'divided-rectangle', 'divided-process'],
  },
  { name: 'tri', shape: 'triangle', aliases: ['extract', 'triangle'] },
  { name: 'win-pane', shape: 'rectangle', aliases: ['internal-storage', 'window-pane'] },
  { name: 'f-circ', shape: 'ellipse', aliases: ['junction', 'filled-circle'] },
  { name: 'notch-pent', shape: 'hexagon', aliases: ['loop-limit', 'notched-pentagon'] },
  { name: 'flip-tri', shape: 'triangle', aliases: ['manual-file', 'flipped-triangle'] },
  { name: 'sl-rect', shape: 'rectangle', aliases: ['manual-input', 'sloped-rectangle'] },
  { name: 'docs', shape: 'rectangle', aliases: ['documents', 'st-doc', 'stacked-document'] },
  { name: 'st-rect', shape: 'rectangle', aliases: ['procs', 'processes', 'stacked-rectangle'] },
  { name: 'bow-rect', shape: 'rectangle', aliases: ['stored-data', 'bow-tie-rectangle'] },
  { name: 'cross-circ', shape: 'ellipse', aliases: ['summary', 'crossed-circle'] },
  { name: 'tag-doc', shape: 'rectangle', aliases: ['tagged-document'] },
  { name: 'tag-rect', shape: 'rectangle', aliases: ['tagged-rectangle', 'tag-proc', 'tagged-process'] },
  { name: 'flag', shape: 'rectangle', aliases: ['paper-tape'] },
  { name: 'odd', shape: 'rectangle', aliases: ['rect_left_inv_arrow'] },
  { name: 'lin-doc', shape: 'rectangle', aliases: ['lined-document'] },
]

const BY_NAME = new Map<string, CatalogueShape>()
for (const entry of CATALOGUE) {
  BY_NAME.set(entry.name, entry)
  for (const alias of entry.aliases) BY_NAME.set(alias, entry)
}

/** Every short name of the catalogue (for tests and docs). */
export const MERMAID_SHAPE_NAMES: readonly string[] = CATALOGUE.map((entry) => entry.name)

/** A catalogue shape by its short name or an alias, or null when Mermaid has no such shape. */
export function catalogueShape(name: string): { name: string; shape: NodeShape } | null {
  const entry = BY_NAME.get(name.trim())
  return entry ? { name: entry.name, shape: entry.shape } : null
}

export interface BracketShape {
  open: string
  close: string
  shape: NodeShape
  /** Mermaid's short name for the same shape. */
  name: string
}

/** Bracket openers, longest first, with their closer. `[/` and `[\` are resolved by their closer. */
export const BRACKET_SHAPES: readonly BracketShape[] = [
  { open: '(((', close: ')))', shape: 'ellipse', name: 'dbl-circ' },
  { open: '((', close: '))', shape: 'ellipse', name: 'circle' },
  { open: '([', close: '])', shape: 'oval', name: 'stadium' },
  { open: '(-', close: '-)', shape: 'ellipse', name: 'ellipse' },
  { open: '[[', close: ']]', shape: 'rectangle', name: 'fr-rect' },
  { open: '[(', close: ')]', shape: 'rectangle', name: 'cyl' },
  { open: '[|', close: ']', shape: 'rectangle', name: 'rect' },
  { open: '{{', close: '}}', shape: 'hexagon', name: 'hex' },
  { open: '[/', close: '', shape: 'parallelogram', name: 'lean-r' },
  { open: '[\\', close: '', shape: 'parallelogram', name: 'lean-l' },
  { open: '[', close: ']', shape: 'rectangle', name: 'rect' },
  { open: '(', close: ')', shape: 'oval', name: 'rounded' },
  { open: '{', close: '}', shape: 'diamond', name: 'diam' },
  { open: '>', close: ']', shape: 'rectangle', name: 'odd' },
]

/** `[/…/]`, `[\…\]` lean; `[/…\]` is a trapezoid (base at the bottom), `[\…/]` one with its base on top. */
export function slantedShape(open: string, close: string): { shape: NodeShape; name: string } {
  if (open === '[/')
    return close === '/' ? { shape: 'parallelogram', name: 'lean-r' } : { shape: 'trapezoid', name: 'trap-b' }
  return close === '\\' ? { shape: 'parallelogram', name: 'lean-l' } : { shape: 'trapezoid', name: 'trap-t' }
}
