/**
 * Persistence in the room lifecycle (`sync/roomHooks.ts`): the `DocumentSource` that loads a room's
 * doc from its snapshot and update rows (corrupt rows quarantined), and the room's store for the rest
 * of its life — every change that is this instance's (not a replica's) is queued with the room's
 * `DocumentWriter`, unload flushes (and compacts a room that went idle), a deleted room's writes are
 * dropped. Must not touch: sockets, Redis, versions.
 */
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { DocumentLog } from '../storage/storage'
import type {
  DocumentSource,
  LoadedDocument,
  RoomHooks,
  RoomStore,
  StoreEvent,
  UnloadReason,
} from '../sync/roomHooks'
import { isLocal, type TransactionOrigin } from '../sync/transactionOrigin'
import { buildDocument } from './documentLoader'
import { DocumentWriter, readDoc, type WriterOptions } from './documentWriter'
import { logMalformedEntries } from './readBoard'

export class RoomPersistence implements DocumentSource {
  constructor(
    private readonly documents: DocumentLog,
    private readonly options: WriterOptions,
    private readonly metrics: Metrics,
  ) {}

  async load(
    roomId: string,
    log: Logger,
    report: (event: StoreEvent) => void,
    onStoredState?: (state: Uint8Array) => void,
  ): Promise<LoadedDocument> {
    const [stored, stats] = await Promise.all([this.documents.load(roomId), this.documents.stats(roomId)])
    if (stored.snapshot && stored.updates.length === 0 && onStoredState) {
      onStoredState(stored.snapshot)
      // The build below holds the event loop for as long as the client's own apply: let the answer
      // leave first (it is sent, and its socket uncorked, before the next timer turn).
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    const { doc, corrupt } = buildDocument(stored, log)
    if (corrupt.length > 0) await this.documents.quarantine(roomId, corrupt)
    logMalformedEntries(doc, log)
    const writer = new DocumentWriter(
      roomId,
      this.documents,
      this.options,
      this.metrics,
      log,
      stats,
      readDoc(doc),
      report,
    )
    log.debug({ storedUpdates: stored.updates.length, snapshot: stored.snapshot !== null }, 'document read')
    return {
      doc,
      // Loaded from one snapshot row alone: its bytes are the whole state, sent as they are.
      encodedState: stored.snapshot && stored.updates.length === 0 ? stored.snapshot : undefined,
      store: new WriterStore(writer),
    }
  }
}

/** One room's writer as the room's store and as the first of its hooks. */
class WriterStore implements RoomStore, RoomHooks {
  constructor(private readonly writer: DocumentWriter) {}

  get bufferedBytes(): number {
    return this.writer.bufferedBytes
  }

  get enqueuedCount(): number {
    return this.writer.enqueuedCount
  }

  persist(update: Uint8Array): void {
    // In the doc before now: its batch must be merged, not encoded as the doc's diff since the last cut.
    this.writer.enqueueEarlierUpdate(update)
  }

  /** A replica's change is stored by the instance it came from. */
  onChange(update: Uint8Array, origin: TransactionOrigin): void {
    if (isLocal(origin)) this.writer.enqueue(update)
  }

  /**
   * An idle unload also compacts (the next cold open then reads one snapshot row); a shutdown does
   * not, so SIGTERM stays prompt — the next idle unload compacts.
   */
  async onUnload(reason: UnloadReason): Promise<void> {
    await this.writer.settle()
    if (reason === 'idle') await this.writer.compactIfLogged()
  }

  onDiscard(): void {
    this.writer.abandon()
  }
}
