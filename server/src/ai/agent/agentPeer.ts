/**
 * The co-pilot as a peer: a Y.Doc synced over the stock y-websocket provider through a
 * server-issued agent link, exactly as a browser joins, with its own awareness (name, colour,
 * `kind: 'ai'`, a cursor that moves to where it draws, republished every second while it works so
 * every browser keeps showing it). Owns: the agent's connection, presence and writes.
 * Must not touch: models, the queue, HTTP.
 */
import {
  type AwarenessState,
  type BoardEdit,
  CHAT_KEY,
  type ChatMessage,
  COPILOT_NAME,
  FIRST_PAGE_ID,
  parseAwarenessState,
  readChat,
  readRecords,
  type TLRecord,
  writeRecords,
} from '@drawbridge/shared'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { Origins } from '../../sync/transactionOrigin'

export { COPILOT_NAME }
export const COPILOT_COLOR = '#7c3aed'

/**
 * The agent republishes its presence this often while it is in the room: browsers take a peer
 * they hear nothing from for a while to be idle (and after a minute hide it), and a model may
 * think for longer than that with the cursor standing still.
 */
export const AGENT_PRESENCE_REFRESH_MS = 1_000

export class AgentPeer {
  readonly doc = new Y.Doc()
  private readonly provider: WebsocketProvider
  private readonly peerId: string
  /** The name people see in their lists and beside the cursor. */
  readonly name: string
  private readonly color: string
  private pageId: string = FIRST_PAGE_ID
  private heartbeat: ReturnType<typeof setInterval> | undefined

  private constructor(serverUrl: string, linkId: string, peerId: string, name: string, color: string) {
    this.peerId = peerId
    this.name = name
    this.color = color
    this.provider = new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/yjs`, linkId, this.doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 1000,
    })
  }

  /** Joins the room and resolves once the doc holds the room's content (or fails after `timeoutMs`). */
  static async join(options: {
    serverUrl: string
    linkId: string
    peerId: string
    /** The name in people's lists and beside the cursor (the co-pilot's by default). */
    name?: string
    color?: string
    timeoutMs?: number
  }): Promise<AgentPeer> {
    const peer = new AgentPeer(
      options.serverUrl,
      options.linkId,
      options.peerId,
      options.name ?? COPILOT_NAME,
      options.color ?? COPILOT_COLOR,
    )
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('could not join the room in time')),
          options.timeoutMs ?? 15_000,
        )
        const onSync = (synced: boolean) => {
          if (!synced) return
          clearTimeout(timer)
          peer.provider.off('sync', onSync)
          resolve()
        }
        peer.provider.on('sync', onSync)
        peer.provider.on('closed', (event) => {
          clearTimeout(timer)
          reject(new Error(`the room closed the agent's connection (${event.code})`))
        })
      })
    } catch (error) {
      peer.leave()
      throw error
    }
    peer.pageId = peer.firstPageId()
    peer.showPresence(null)
    peer.heartbeat = setInterval(() => peer.refreshPresence(), AGENT_PRESENCE_REFRESH_MS)
    return peer
  }

  get records(): Map<string, TLRecord> {
    return readRecords(this.doc)
  }

  /** The page the agent draws on: the first page of the board, unless `usePage` chose another. */
  get page(): string {
    return this.pageId
  }

  /** Draws on `pageId` (the requester's page) when the board has that page; returns whether it does. */
  usePage(pageId: string): boolean {
    const page = this.records.get(pageId)
    if (page?.typeName !== 'page') return false
    this.pageId = pageId
    const state = this.provider.awareness.getLocalState() as AwarenessState | null
    if (state) this.provider.awareness.setLocalState({ ...state, pageId })
    return true
  }

  /** Publishes the same presence again, so it reads as active (awareness sends it even unchanged). */
  private refreshPresence(): void {
    const state = this.provider.awareness.getLocalState()
    if (state) this.provider.awareness.setLocalState(state)
  }

  private firstPageId(): string {
    const pages = [...this.records.values()].filter((record) => record.typeName === 'page') as Array<
      TLRecord & { index: string }
    >
    pages.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
    return pages[0]?.id ?? FIRST_PAGE_ID
  }

  /** Moves the agent's cursor (page coordinates); null hides it. */
  showPresence(cursor: { x: number; y: number } | null, selection: string[] = []): void {
    const state: AwarenessState = {
      user: { id: this.peerId, name: this.name, color: this.color, kind: 'ai' },
      cursor,
      pageId: this.pageId,
      selection,
    }
    this.provider.awareness.setLocalState(state)
  }

  /** The shapes the people in the room (not other agents) have selected on the agent's page. */
  peopleSelection(): string[] {
    const selected = new Set<string>()
    for (const [clientId, raw] of this.provider.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue
      const state = parseAwarenessState(raw)
      if (state?.user.kind !== 'human' || state.pageId !== this.pageId) continue
      for (const id of state.selection) selected.add(id)
    }
    return [...selected]
  }

  write(put: TLRecord[], remove: string[] = []): void {
    if (put.length === 0 && remove.length === 0) return
    writeRecords(this.doc, { put, remove: remove as TLRecord['id'][] }, Origins.agent)
  }

  /**
   * Writes an edit (from `applyEditOperations`) and moves the cursor to the first shape it
   * touched; returns what undoing it needs: the ids it created and the records it replaced.
   */
  applyEdit(edit: Pick<BoardEdit, 'put' | 'remove'>): { created: string[]; replaced: TLRecord[] } {
    const before = this.records
    const replaced = [
      ...edit.put.map((record) => before.get(record.id)).filter((record): record is TLRecord => !!record),
      ...edit.remove.map((id) => before.get(id)).filter((record): record is TLRecord => !!record),
    ]
    const created = edit.put.filter((record) => !before.has(record.id)).map((record) => record.id)
    this.write(edit.put, edit.remove)
    const touched = edit.put.find((record) => record.typeName === 'shape') as
      | (TLRecord & { x: number; y: number })
      | undefined
    if (touched) this.showPresence({ x: touched.x, y: touched.y })
    return { created, replaced }
  }

  /** The chat's messages; entries that are not messages (a bad peer's) are skipped. */
  chat(): ChatMessage[] {
    return readChat(this.doc)
  }

  /** Appends a chat message unless one with its id is there already (a re-run job says things once). */
  say(message: ChatMessage): void {
    const chat = this.doc.getArray<ChatMessage>(CHAT_KEY)
    if (readChat(this.doc).some((existing) => existing.id === message.id)) return
    this.doc.transact(() => chat.push([message]), Origins.agent)
  }

  /** Resolves when everything written so far has left this process (or after `timeoutMs`). */
  async flush(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    const socket = this.provider.ws as unknown as { bufferedAmount: number } | null
    while (socket && socket.bufferedAmount > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  leave(): void {
    clearInterval(this.heartbeat)
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    this.doc.destroy()
  }
}
