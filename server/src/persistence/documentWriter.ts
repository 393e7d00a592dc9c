/**
 * Persists one room's updates: coalesces a burst into one row per short window, retries failed
 * writes with backoff (never drops an update), and triggers compaction past a count/bytes
 * threshold. Must not touch: sockets; the room's live doc other than through its read-only
 * `DocReader`.
 */
import * as Y from 'yjs'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { DocumentLog } from '../storage/storage'
import { packUpdates } from '../storage/updateBatch'
import type { StoreEvent } from '../sync/roomHooks'
import { foldDocument } from './documentLoader'
import { atWindowEnd } from './windowClock'

export interface WriterOptions {
  /**
   * How long a burst of updates is collected before one row is written: windows end on shared
   * boundaries (`windowClock.ts`), so a batch waits at most this long.
   */
  windowMs: number
  compactAfterUpdates: number
  compactAfterBytes: number
}

/**
 * Read-only access to the room's live doc. A large batch's row is encoded from the doc (the diff
 * since the previous cut) rather than packed from its thousands of small updates: the diff is smaller
 * and loads as one update.
 */
export interface DocReader {
  stateVector(): Uint8Array
  /** Everything the doc holds past `stateVector` (and its whole delete set). */
  encodeSince(stateVector: Uint8Array): Uint8Array
}

export function readDoc(doc: Y.Doc): DocReader {
  return {
    stateVector: () => Y.encodeStateVector(doc),
    encodeSince: (stateVector) => Y.encodeStateAsUpdate(doc, stateVector),
  }
}

/** Batches with more updates than this are encoded from the doc; smaller ones are packed. */
const MERGE_MAX_UPDATES = 50
/**
 * The doc's state vector is taken at a cut only after a batch this big: the next batch is then
 * likely to be large enough to be encoded from the doc. Taking it at every cut cost 4 % of the
 * server's CPU under a fan-out of small batches (its size grows with the room's writers).
 */
const STATE_VECTOR_AFTER_UPDATES = 10
const RETRY_BASE_MS = 100
/** Writes at least this big are logged when they start and end (they take seconds on PGlite). */
const LARGE_WRITE_BYTES = 1024 * 1024
const RETRY_MAX_MS = 5_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class DocumentWriter {
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  /** Cancels the pending window's end (set while a batch is waiting). */
  private cancelWindow: (() => void) | undefined
  /** Resolves when every write started so far has ended. */
  private writing: Promise<void> = Promise.resolve()
  /** Set while a write is failing (database unreachable): new batches queue behind it. */
  private failing = false
  private compacting: Promise<void> | undefined
  /** Set when the room was deleted: nothing more is written. */
  private abandoned = false
  private enqueued = 0
  private persisted = 0
  private rowsSinceCompaction: number
  private bytesSinceCompaction: number
  /** The doc's state vector when the last batch was cut: every update enqueued before is in a row. */
  private cutStateVector: Uint8Array | undefined
  /**
   * Set when the pending batch holds an update the doc integrated before it was enqueued (another
   * instance's orphans): the diff since the last cut would leave it out, so that batch is packed.
   */
  private pendingHoldsEarlierUpdates = false

  constructor(
    private readonly roomId: string,
    private readonly documents: DocumentLog,
    private readonly options: WriterOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    logStats: { count: number; bytes: number },
    /** Without it every batch is packed. Must be the doc whose updates are enqueued. */
    private readonly doc?: DocReader,
    /** Told after each successful write (updates persisted so far) and each compaction that ran. */
    private readonly report: (event: StoreEvent) => void = () => {},
  ) {
    this.rowsSinceCompaction = logStats.count
    this.bytesSinceCompaction = logStats.bytes
    this.cutStateVector = doc?.stateVector()
  }

  /** Bytes received but not yet written. */
  get bufferedBytes(): number {
    return this.pendingBytes
  }

  /** How many updates have been enqueued so far (persisted ones included). */
  get enqueuedCount(): number {
    return this.enqueued
  }

  enqueue(update: Uint8Array): void {
    if (this.abandoned) return
    this.add(update)
  }

  /**
   * Enqueues an update the doc already held before now (another instance's updates that it died
   * before persisting). Its batch is packed from the updates, never encoded from the doc.
   */
  enqueueEarlierUpdate(update: Uint8Array): void {
    if (this.abandoned) return
    this.pendingHoldsEarlierUpdates = true
    this.add(update)
  }

  private add(update: Uint8Array): void {
    this.enqueued++
    this.pending.push(update)
    this.pendingBytes += update.byteLength
    this.cancelWindow ??= atWindowEnd(this.options.windowMs, () => {
      this.cancelWindow = undefined
      void this.flush()
    })
  }

  /** Writes everything enqueued so far; resolves once it is in the database. */
  flush(): Promise<void> {
    this.cancelWindow?.()
    this.cancelWindow = undefined
    if (this.pending.length > 0) {
      const batch = this.pending
      const holdsEarlierUpdates = this.pendingHoldsEarlierUpdates
      this.pending = []
      this.pendingHoldsEarlierUpdates = false
      // Encoded now, in the same tick the batch is cut: the doc holds exactly every enqueued update
      // (the room enqueues from the doc's update event), plus updates relayed from other instances,
      // which a row may repeat harmlessly (applying an update twice changes nothing). An update the
      // doc held before the last cut (`enqueueEarlierUpdate`) is not in that diff: its batch is packed.
      const since = this.cutStateVector
      const count = batch.length
      this.cutStateVector = count >= STATE_VECTOR_AFTER_UPDATES ? this.doc?.stateVector() : undefined
      const batchBytes = batch.reduce((sum, u) => sum + u.byteLength, 0)
      const encodable = count > MERGE_MAX_UPDATES && since && !holdsEarlierUpdates
      const diff = encodable ? this.doc?.encodeSince(since) : undefined
      // The diff carries the doc's whole delete set: on a board with a long, fragmented history it
      // can outweigh the batch itself, and then the updates are stored packed, as they came.
      const row =
        count === 1
          ? { update: batch[0]!, updateCount: 1 }
          : diff && diff.byteLength <= batchBytes
            ? { update: diff, updateCount: 1 }
            : { update: packUpdates(batch), updateCount: count }
      // Healthy: the batch goes to the database now, beside the writes in flight, so it is stored
      // within the window plus its own write even if a big write is ahead of it (and PGlite's host
      // finishes it if this process is killed). While writes fail, batches queue behind them, so
      // an outage holds one retrying write rather than one per window.
      const write = this.failing
        ? this.writing.then(() => this.writeBatch(row, count, batchBytes))
        : this.writeBatch(row, count, batchBytes)
      this.writing = Promise.all([this.writing, write]).then(() => {})
    }
    return this.writing
  }

  /** Drops everything pending and writes nothing more (the room was deleted). */
  abandon(): void {
    this.abandoned = true
    this.cancelWindow?.()
    this.cancelWindow = undefined
    this.pending = []
    this.pendingHoldsEarlierUpdates = false
    this.pendingBytes = 0
  }

  /** Waits for any compaction in progress. */
  async settle(): Promise<void> {
    await this.flush()
    await this.compacting
  }

  /** Writes one row holding `count` updates that arrived as `batchBytes` bytes. */
  private async writeBatch(
    { update, updateCount }: { update: Uint8Array; updateCount: number },
    count: number,
    batchBytes: number,
  ): Promise<void> {
    const large = update.byteLength >= LARGE_WRITE_BYTES
    const started = performance.now()
    if (large) this.log.info({ bytes: update.byteLength }, 'writing a large update')
    for (let attempt = 0; ; attempt++) {
      if (this.abandoned) return
      const stopTimer = this.metrics.persistSeconds.startTimer()
      try {
        await this.documents.append(this.roomId, update, updateCount)
        stopTimer()
        this.failing = false
        break
      } catch (error) {
        this.failing = true
        this.metrics.persistFailures.inc()
        const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt) * (0.5 + Math.random() / 2)
        this.log.warn({ err: error, attempt, retryInMs: Math.round(delay) }, 'update write failed; retrying')
        await sleep(delay)
      }
    }
    if (large) {
      const ms = Math.round(performance.now() - started)
      this.log.info({ bytes: update.byteLength, ms }, 'large update persisted')
    }
    this.pendingBytes -= batchBytes
    this.metrics.updatesPersisted.inc(count)
    this.persisted += count
    this.report({ type: 'written', persistedCount: this.persisted })
    this.rowsSinceCompaction += 1
    this.bytesSinceCompaction += update.byteLength
    this.maybeCompact()
  }

  private maybeCompact(): void {
    if (this.compacting) return
    const due =
      this.rowsSinceCompaction >= this.options.compactAfterUpdates ||
      this.bytesSinceCompaction >= this.options.compactAfterBytes
    if (due) this.compacting = this.compact().finally(() => (this.compacting = undefined))
  }

  /** Compacts when the room has update rows since its snapshot (a room being unloaded); else nothing. */
  async compactIfLogged(): Promise<void> {
    if (this.abandoned || this.rowsSinceCompaction === 0) return
    await this.compact()
  }

  /** Folds the room's stored rows into its snapshot (skipped if another instance is at it). */
  async compact(): Promise<void> {
    try {
      const ran = await this.documents.compact(this.roomId, (stored) => foldDocument(stored, this.log))
      if (!ran) return
      this.metrics.compactions.inc()
      this.report({ type: 'compacted' })
      const stats = await this.documents.stats(this.roomId)
      this.rowsSinceCompaction = stats.count
      this.bytesSinceCompaction = stats.bytes
      this.log.debug({ remainingRows: stats.count }, 'room compacted')
    } catch (error) {
      this.log.error({ err: error }, 'compaction failed; the update log is intact and will be retried')
    }
  }
}
