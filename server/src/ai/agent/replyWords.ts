/**
 * What the co-pilot says in the chat when it draws without a model, or cannot: words for the person
 * who asked (what to do next), never for the server's administrator — configuring a model is in
 * docs/ai.md, not in a chat every board member reads.
 * Owns: that wording. Must not touch: the doc, the queue, models.
 */
import type { OfflinePlan, TextPlanSource } from '@drawbridge/shared'
import type { NothingReason } from '../../storage/copilot/jobStore'

/** Which kind of text the built-in planner recognised. */
export type PlannerSource = TextPlanSource | 'selection'

export const PLANNER_WORDS: Record<PlannerSource, string> = {
  mermaid: 'from your Mermaid diagram',
  arrows: 'from your arrows',
  steps: 'from your steps',
  csv: 'from your edge list',
  selection: 'from the selection',
}

const SOURCE_NAMES: Record<TextPlanSource, string> = {
  mermaid: 'Mermaid flowchart',
  arrows: 'arrow list',
  steps: 'step list',
  csv: 'CSV edge list',
}

export const NEEDS_MODEL_REPLY =
  'Drawing from a description needs an AI model, and none is connected to this board yet. Ask the ' +
  "board's owner to connect one — or paste a Mermaid flowchart instead (for example " +
  '"graph TD; Browser --> API --> Database"), an arrow list ("Browser -> API") or a CSV edge list ' +
  '("from,to"): those are drawn right away, without a model.'

export const NOTHING_TO_DRAW_REPLY =
  'There is nothing to draw in that text. Paste a Mermaid flowchart, an arrow list or a CSV edge list.'

/** The reply, and why nothing was drawn, when the planner cannot draw `plan` and there is no model. */
export function withoutModel(plan: Extract<OfflinePlan, { kind: 'needs-model' }>, text: string) {
  if (text.trim() === '') return { reason: 'nothing-to-draw' as NothingReason, text: NOTHING_TO_DRAW_REPLY }
  const problem = plan.parseError
  if (problem) {
    return {
      reason: 'unreadable' as NothingReason,
      text: `I couldn't read that ${SOURCE_NAMES[problem.source]}: line ${problem.line}: ${problem.message}. Fix that line and send it again.`,
    }
  }
  return { reason: 'needs-model' as NothingReason, text: NEEDS_MODEL_REPLY }
}

/** " Left out: a; b; c and 2 more." (or nothing). */
export function summarise(problems: string[]): string {
  if (problems.length === 0) return ''
  const shown = problems.slice(0, 3).join('; ')
  return ` Left out: ${shown}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}.`
}

/** How many planner warnings a reply lists by name. */
const MAX_WARNINGS_SHOWN = 5

/** " Not drawn as written: a; b and 3 more." — what the planner read but could not draw (or nothing). */
export function notDrawn(warnings: readonly string[]): string {
  if (warnings.length === 0) return ''
  const shown = warnings.slice(0, MAX_WARNINGS_SHOWN).join('; ')
  const more = warnings.length - MAX_WARNINGS_SHOWN
  return ` Not drawn as written: ${shown}${more > 0 ? ` and ${more} more` : ''}.`
}
