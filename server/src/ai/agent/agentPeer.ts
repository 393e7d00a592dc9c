/**
 * The co-pilot as a peer: a Y.Doc synced over the stock y-websocket provider through a
 * server-issued agent link, exactly as a browser joins, with its own awareness (name, colour,
 * `kind: 'ai'`, a cursor that moves to where it draws). Owns: the agent's connection, presence and
 * writes. Must not touch: models, the queue, HTTP.
 */
import {
  type AwarenessState,
  CHAT_KEY,
  FIRST_PAGE_ID,
  readChat,
  readRecords,
  type TLRecord,
  writeRecords,
} from '@drawbridge/shared'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export const COPILOT_NAME = 'Co-pilot'
export const COPILOT_COLOR = '#7c3aed'

/** A chat entry (ARCHITECTURE §2). */
export interface ChatMessage {
  id: string
  at: number
  author: { id: string; name: string; kind: 'human' | 'ai' }
  text: string
  jobId?: string
}

/** Changes the agent makes carry this origin, so they are its own in the doc's history. */
const AGENT_ORIGIN = Object.freeze({ agent: true })

export class AgentPeer {
  readonly doc = new Y.Doc()
  private readonly provider: WebsocketProvider
  private readonly peerId: string
  private pageId: string = FIRST_PAGE_ID

  private constructor(serverUrl: string, linkId: string, peerId: string) {
    this.peerId = peerId
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
    timeoutMs?: number
  }): Promise<AgentPeer> {
    const peer = new AgentPeer(options.serverUrl, options.linkId, options.peerId)
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
    return peer
  }

  get records(): Map<string, TLRecord> {
    return readRecords(this.doc)
  }

  /** The page the agent draws on: the first page of the board. */
  get page(): string {
    return this.pageId
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
      user: { id: this.peerId, name: COPILOT_NAME, color: COPILOT_COLOR, kind: 'ai' },
      cursor,
      pageId: this.pageId,
      selection,
    }
    this.provider.awareness.setLocalState(state)
  }

  write(put: TLRecord[], remove: string[] = []): void {
    if (put.length === 0 && remove.length === 0) return
    writeRecords(this.doc, { put, remove: remove as TLRecord['id'][] }, AGENT_ORIGIN)
  }

  /** The chat's messages; entries that are not messages (a bad peer's) are skipped. */
  chat(): ChatMessage[] {
    return readChat(this.doc)
  }

  /** Appends a chat message unless one with its id is there already (a re-run job says things once). */
  say(message: ChatMessage): void {
    const chat = this.doc.getArray<ChatMessage>(CHAT_KEY)
    if (readChat(this.doc).some((existing) => existing.id === message.id)) return
    this.doc.transact(() => chat.push([message]), AGENT_ORIGIN)
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
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    this.doc.destroy()
  }
}
