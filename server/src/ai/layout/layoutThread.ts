/**
 * The layout worker thread: lays out each diagram spec it is sent with the shared ELK layout and
 * posts the result back under the request's id. Owns: nothing but that loop. Must not touch: I/O.
 */
import { parentPort } from 'node:worker_threads'
import type { DiagramSpec } from '@drawbridge/shared'
// Only the layout module (ELK and label sizes), so the thread starts in a fraction of a second.
import { layoutDiagram } from '@drawbridge/shared/layout'

export interface LayoutRequest {
  id: number
  spec: DiagramSpec
}

const port = parentPort
if (!port) throw new Error('layoutThread.ts runs in a worker thread')

port.on('message', async ({ id, spec }: LayoutRequest) => {
  try {
    port.postMessage({ id, layout: await layoutDiagram(spec) })
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
