/**
 * Diagram layout off the event loop: ELK runs in a worker thread, so laying out a large diagram
 * (a second of CPU for 200 nodes, more while a big answer streams) never stalls the rooms this
 * instance serves. One worker, started on first use; a worker that dies is replaced on the next
 * request and its pending requests fail. Owns: the worker. Must not touch: records, the document.
 */
import { Worker } from 'node:worker_threads'
import type { DiagramLayout, DiagramSpec } from '@drawbridge/shared'
import type { Logger } from '../../logger'

type Pending = { resolve: (layout: DiagramLayout) => void; reject: (error: Error) => void }
type Reply = { id: number; layout?: DiagramLayout; error?: string }

export class LayoutPool {
  private worker: Worker | undefined
  private nextId = 0
  private readonly pending = new Map<number, Pending>()

  constructor(private readonly log: Logger) {}

  /** Lays `spec` out in the worker (Maps and all arrive as they left: structured clone). */
  layout(spec: DiagramSpec): Promise<DiagramLayout> {
    const worker = this.started()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, spec })
    })
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    this.failAll(new Error('the layout worker was stopped'))
    await worker?.terminate()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    // No inherited flags: the worker registers its own TypeScript loader.
    const worker = new Worker(new URL('./layoutWorker.mjs', import.meta.url), { execArgv: [] })
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id)
      if (!pending) return
      this.pending.delete(reply.id)
      if (reply.layout) pending.resolve(reply.layout)
      else pending.reject(new Error(reply.error ?? 'the layout failed'))
    })
    const lost = (error: Error) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.log.error({ err: error }, 'layout worker stopped; the next layout starts a new one')
      this.failAll(error)
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`the layout worker exited with code ${code}`)))
    worker.unref()
    this.worker = worker
    return worker
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}
