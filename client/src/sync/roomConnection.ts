/**
 * One room's Y.Doc and how it travels: y-websocket to the server, y-indexeddb on this device.
 * When the device kept a copy on an earlier visit, it is read first and the socket opened after
 * it, so a returning visitor's board shows from the device before the server answers, and the
 * server sends only what the device lacks; a first visit opens both at once. A returning visit's
 * socket also waits for the board to be painted from the device (`boardShown`), so that the work of
 * connecting does not delay the first frame. Owns the connection status a person sees, going
 * offline/online with the browser, and giving up on close codes after which reconnecting cannot help. An update the server refused as
 * too large (4413) would be sent again on every reconnect: this doc and the device's copy are
 * dropped instead, and the owner opens the board afresh from the server (`reset`).
 * Must not touch: tldraw's store.
 */
import { CloseCode, describeCloseCode, isFinalCloseCode, RECORDS_KEY } from '@drawbridge/shared'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { deviceStore } from '../offline/deviceStore'

export type ConnectionStatus = 'connecting' | 'connected' | 'offline'

/** Where the board first came from: this device's copy or the server's first sync. */
export type BoardSource = 'device' | 'server'

/** How long the socket waits for the device's copy (an IndexedDB that never answers must not keep it shut). */
const DEVICE_WAIT_MS = 1_500
/** How long it then waits for the board to be shown from that copy (`boardShown`). */
const SHOWN_WAIT_MS = 3_000

/** Whichever comes first: the promise, or the time running out. */
const within = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))])

export interface ConnectionSnapshot {
  status: ConnectionStatus
  /** Set when the server ended the connection for good (revoked link, deleted board…). */
  fatal: string | undefined
  /** Why the server last closed the connection, while reconnecting (e.g. it cannot save right now). */
  notice: string | undefined
  /**
   * Set when the server refused this device's unsent changes as too large (4413) and the device's
   * copy has been dropped: this connection is done, the board is to be opened again from the server.
   */
  reset: string | undefined
}

function syncUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${window.location.host}/yjs`
}

export class RoomConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly local: IndexeddbPersistence
  /** Resolves once the board can be shown: the device had records, or the server's first sync arrived. */
  readonly ready: Promise<BoardSource>
  private snapshot: ConnectionSnapshot
  private readonly listeners = new Set<() => void>()
  private destroyed = false
  /** A refused update is being dropped with the device's copy (see `dropUnsendable`). */
  private dropping = false

  constructor(linkId: string, roomId: string, params: Record<string, string> = {}) {
    this.local = new IndexeddbPersistence(`drawbridge:${roomId}`, this.doc)
    this.provider = new WebsocketProvider(syncUrl(), linkId, this.doc, { connect: false, params })
    this.snapshot = {
      status: navigator.onLine ? 'connecting' : 'offline',
      fatal: undefined,
      notice: undefined,
      reset: undefined,
    }
    // Reading the device's copy applies the whole board in one transaction, and while anything
    // listens for the doc's 'update' event Yjs encodes that transaction again (about 0.1 s for
    // 5,000 shapes) for two listeners with nothing to do yet: y-indexeddb stores the doc's whole
    // state when it reads, and the provider sends nothing before it connects (its sync then sends
    // what the server lacks). Each listens again from then on.
    this.doc.off('update', this.local._storeUpdate)
    this.doc.off('update', this.provider._updateHandler)
    const deviceRead = this.local.whenSynced.then(() => {
      if (!this.destroyed) this.doc.on('update', this.local._storeUpdate)
      performance.mark('drawbridge:device-read')
    })
    // Connecting takes the main thread for a while: y-websocket sends the whole doc to this
    // browser's other tabs, then the server's answer is applied. When the device had the board,
    // that waits until the board has been shown from it, so that the first frame does not wait.
    void within(deviceRead, DEVICE_WAIT_MS)
      .then(() => (this.hasRecords() ? within(this.shown, SHOWN_WAIT_MS) : undefined))
      .then(() => {
        if (!this.destroyed && navigator.onLine && !this.stopped) this.connect()
      })
    this.ready = new Promise<BoardSource>((resolve) => {
      void deviceRead.then(() => {
        if (this.hasRecords()) resolve('device')
      })
      const onSync = (synced: boolean) => {
        if (!synced) return
        this.provider.off('sync', onSync)
        performance.mark('drawbridge:server-synced')
        // y-indexeddb keeps what the server sent: next time the device answers first.
        deviceStore.rememberCopy(roomId)
        resolve('server')
      }
      this.provider.on('sync', onSync)
    })
    this.provider.on('status', this.handleStatus)
    this.provider.on('connection-close', this.handleClose)
    window.addEventListener('offline', this.handleOffline)
    window.addEventListener('online', this.handleOnline)
  }

  getSnapshot = (): ConnectionSnapshot => this.snapshot

  /** The board has been painted: a returning visit's socket may connect now (see the constructor). */
  boardShown(): void {
    this.markShown()
  }

  private markShown: () => void = () => {}
  private readonly shown = new Promise<void>((resolve) => {
    this.markShown = resolve
  })

  private hasRecords(): boolean {
    return this.doc.getArray(RECORDS_KEY).length > 0
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.destroyed = true
    window.removeEventListener('offline', this.handleOffline)
    window.removeEventListener('online', this.handleOnline)
    this.provider.destroy()
    void this.local.destroy()
    this.doc.destroy()
  }

  /** The server ended this connection for good, or its doc is being discarded. */
  private get stopped(): boolean {
    return this.snapshot.fatal !== undefined || this.dropping
  }

  private update(next: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...next }
    for (const listener of this.listeners) listener()
  }

  private readonly handleStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
    if (this.stopped) return
    if (!navigator.onLine) return this.update({ status: 'offline' })
    if (status === 'connected') this.update({ status: 'connected', notice: undefined })
    else this.update({ status: 'connecting' })
  }

  private readonly handleClose = (event: CloseEvent | null) => {
    if (event?.code === CloseCode.UpdateTooLarge) {
      this.dropUnsendable(describeCloseCode(event.code))
    } else if (event && isFinalCloseCode(event.code)) {
      this.provider.disconnect()
      this.update({ status: 'offline', fatal: describeCloseCode(event.code) })
    } else if (event && event.code >= 1011) {
      // The server asked us to come back later (restart, busy, saving paused): say so meanwhile.
      this.update({ notice: describeCloseCode(event.code) })
    }
  }

  /**
   * What this doc holds that the server lacks is above its limit (a client without the check of
   * storeBinding.ts, or an older copy on this device): sending it again would be refused again.
   * Stops reconnecting, deletes the device's copy, then asks for a fresh start (`reset`).
   */
  private dropUnsendable(message: string): void {
    if (this.dropping) return
    this.dropping = true
    this.provider.disconnect()
    this.update({ status: 'offline' })
    // clearData issues the deletion before it resolves: a later open of the same name waits for it.
    void this.local
      .clearData()
      .catch((error: unknown) => console.warn('[drawbridge] could not delete the device copy', error))
      .then(() => {
        if (!this.destroyed) this.update({ reset: message })
      })
  }

  // An open WebSocket can stay silently "open" while the network is gone: drop it ourselves.
  private readonly handleOffline = () => {
    this.provider.disconnect()
    this.update({ status: 'offline' })
  }

  private readonly handleOnline = () => {
    if (this.stopped) return
    this.update({ status: 'connecting' })
    this.connect()
  }

  /** Opens the socket, with the provider listening for this doc's changes again (see the constructor). */
  private connect(): void {
    this.doc.on('update', this.provider._updateHandler)
    this.provider.connect()
  }
}
