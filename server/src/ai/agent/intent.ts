/**
 * What a request asks for, read from its text alone: an export of the board, or something the
 * built-in planner draws exactly (Mermaid, arrow lists, CSV; numbered steps too when no model is
 * configured). Decided before queueing, so what needs no model spends no model quota.
 * Owns: these two decisions. Must not touch: the doc, the queue, models.
 */
import { planWithoutModel } from '@drawbridge/shared'
import type { Attachment } from '../../storage/copilot/jobStore'

/** "Export this to draw.io", "download as drawio", "convert to draw.io". */
export const EXPORT_INTENT = /\b(export|download|save|convert)\b[^\n]{0,60}\bdraw\.?io\b|\bto\s+draw\.?io\b/i

/** Whether the job will be answered without calling a model. */
export function answersWithoutModel(
  prompt: string,
  attachment: Attachment | null,
  hasModel: boolean,
): boolean {
  if (!hasModel) return true
  if (EXPORT_INTENT.test(prompt)) return true
  const planned = planWithoutModel(attachment?.text ?? prompt)
  return planned.kind === 'diagram' && planned.source !== 'steps'
}
