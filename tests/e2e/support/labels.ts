/**
 * Label geometry as the people see it. Each geo shape's label box in its cached geometry (what
 * tldraw hit-tests and lays the label out in) against one built again from a copy of the record:
 * tldraw's caches are keyed by the record, so the copy's label is measured again, alone, with the
 * fonts the page has now. Returns how many different label widths there were and the first
 * mismatches.
 */
import type { Page } from '@playwright/test'
import './testHook'

export function compareLabelsWithFreshMeasurement(
  page: Page,
): Promise<{ widths: number; mismatches: string[] }> {
  return page.evaluate(() => {
    type Box = { x: number; y: number; w: number; h: number }
    type Geometry = { children?: Array<{ isLabel?: boolean; bounds: Box }> }
    const editor = window.__drawbridge!.editor as unknown as {
      getCurrentPageShapes(): Array<{ id: string }>
      getShapeGeometry(id: string): Geometry
      getShapeUtil(type: string): { getGeometry(shape: unknown): Geometry }
    }
    const util = editor.getShapeUtil('geo')
    const labelBox = (geometry: Geometry) => geometry.children?.find((child) => child.isLabel)?.bounds
    const text = (box: Box | undefined) =>
      box ? [box.x, box.y, box.w, box.h].map((n) => n.toFixed(2)).join(' ') : 'none'
    const mismatches: string[] = []
    const widths = new Set<string>()
    for (const shape of editor.getCurrentPageShapes()) {
      const loaded = labelBox(editor.getShapeGeometry(shape.id))
      const alone = labelBox(util.getGeometry({ ...shape }))
      if (alone) widths.add(alone.w.toFixed(2))
      if (text(loaded) !== text(alone)) mismatches.push(`${shape.id}: ${text(loaded)} ≠ ${text(alone)}`)
    }
    return { widths: widths.size, mismatches: mismatches.slice(0, 10) }
  })
}
