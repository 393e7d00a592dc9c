/**
 * draw.io's side of the readability benchmark: the same file rendered by draw.io's own viewer build
 * (`viewer.min.js`, as shipped in the `docusaurus-plugin-drawio` npm package; passed in by path,
 * never downloaded here) in the same Chromium, every page at scale 1, and every label measured with
 * the same checks as on the board. A vertex label drawn in its cell must lie inside the cell; edge
 * labels, `text` cells and labels draw.io places outside their cell (images, `labelPosition`,
 * `verticalLabelPosition`) only keep their words whole, as they become arrow labels and text shapes
 * on the board; containers (swimlanes, `container=1`) are frames there. Stencil files the viewer
 * would fetch are refused (no request leaves the machine): such shapes draw as draw.io's fallback,
 * their labels as in draw.io.
 */
import type { Page } from '@playwright/test'
import type { MeasuredLabel } from './boardLabels'
import { LABEL_CHECK_SOURCE } from './labelCheck'

const HARNESS = 'http://drawio-viewer.invalid/'

/** The few parts of draw.io's viewer globals this file uses. */
interface MxCell {
  id: string
  style?: string | null
  parent: MxCell | null
}
interface MxCellState {
  x: number
  y: number
  width: number
  height: number
  style: Record<string, string | number | undefined>
  text?: { node?: Element } | null
}
interface MxGraph {
  model: { cells: Record<string, MxCell>; isEdge(cell: MxCell | null): boolean }
  view: { getState(cell: MxCell): MxCellState | null; getDrawPane(): SVGElement }
  setEnabled(enabled: boolean): void
  destroy(): void
}
interface ViewerGlobals {
  mxUtils: { parseXml(xml: string): Document }
  Graph: new (container: HTMLElement) => MxGraph
  Editor: {
    new (chromeless: boolean, themes: null, model: null, graph: MxGraph): { setGraphXml(node: Element): void }
    parseDiagramNode(diagram: Element): Element | null
  }
  __checkLabel(input: unknown): Pick<MeasuredLabel, 'text' | 'outside' | 'brokenWords'>
}

/** Opens the harness page with the viewer loaded; every other request is refused. */
export async function openViewer(page: Page, viewerPath: string): Promise<void> {
  await page.route('**/*', (route) =>
    route.request().url() === HARNESS
      ? route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body></body></html>' })
      : route.abort(),
  )
  await page.goto(HARNESS)
  await page.addScriptTag({ path: viewerPath })
  await page.evaluate(LABEL_CHECK_SOURCE)
}

/** Renders every diagram of `xml` with draw.io's Graph and measures its labels. */
export function measureInViewer(page: Page, xml: string): Promise<MeasuredLabel[]> {
  return page.evaluate((text) => {
    const w = window as unknown as ViewerGlobals
    const doc = w.mxUtils.parseXml(text)
    const top = doc.documentElement
    const diagrams = top.nodeName === 'mxfile' ? [...top.getElementsByTagName('diagram')] : [top]
    const labels: MeasuredLabel[] = []
    for (const [pageIndex, diagram] of diagrams.entries()) {
      const model = diagram.nodeName === 'mxGraphModel' ? diagram : w.Editor.parseDiagramNode(diagram)
      if (!model) continue
      const container = document.createElement('div')
      container.style.cssText = 'position:absolute;left:0;top:0;width:1600px;height:1200px;overflow:hidden'
      document.body.appendChild(container)
      const graph = new w.Graph(container)
      const editor = new w.Editor(true, null, null, graph)
      graph.setEnabled(false)
      editor.setGraphXml(model)
      const svg = graph.view.getDrawPane().ownerSVGElement!.getBoundingClientRect()
      const gm = graph.model
      for (const cell of Object.values(gm.cells)) {
        const state = graph.view.getState(cell)
        if (!state?.text?.node) continue
        const style = state.style
        const name = String(cell.style ?? '').split(';')[0]
        const onEdge = gm.isEdge(cell) || gm.isEdge(cell.parent)
        const outsideLabel =
          (style.labelPosition !== undefined && style.labelPosition !== 'center') ||
          (style.verticalLabelPosition !== undefined && style.verticalLabelPosition !== 'middle')
        const container = style.shape === 'swimlane' || style.container === '1' || style.container === 1
        const kind: MeasuredLabel['kind'] = container
          ? 'frame'
          : onEdge || name === 'text' || outsideLabel
            ? 'free'
            : 'box'
        const box =
          kind === 'free'
            ? null
            : {
                left: svg.left + state.x,
                top: svg.top + state.y,
                right: svg.left + state.x + state.width,
                bottom: svg.top + state.y + state.height,
              }
        const verdict = w.__checkLabel({ root: state.text.node, box, tolerance: 1 })
        if (!verdict.text) continue
        labels.push({
          ...verdict,
          page: pageIndex,
          kind,
          shapeType: onEdge ? 'edge' : String(style.shape ?? name),
          w: Math.round(state.width),
          h: Math.round(state.height),
          fontPx: Number(style.fontSize ?? 0),
        })
      }
      graph.destroy()
      container.remove()
    }
    return labels
  }, xml)
}
