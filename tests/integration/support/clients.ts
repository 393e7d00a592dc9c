/**
 * Stock y-websocket providers in Node (the same client browsers use), plus room creation over the
 * REST API and a polling wait — no fixed sleeps.
 */

import { CreateRoomReply } from '@drawbridge/shared'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

// Every y-websocket provider in Node adds a process 'exit' listener; tests open dozens.
process.setMaxListeners(0)

/** `POST /api/rooms`'s answer (the shared contract). */
export type CreatedRoom = CreateRoomReply

export async function createRoom(baseUrl: string, title = 'Test board'): Promise<CreatedRoom> {
  const response = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  })
  if (response.status !== 201)
    throw new Error(`POST /api/rooms → ${response.status}: ${await response.text()}`)
  return CreateRoomReply.parse(await response.json())
}

export function connect(baseUrl: string, linkId: string, doc = new Y.Doc()): WebsocketProvider {
  const wsBase = `${baseUrl.replace(/^http/, 'ws')}/yjs`
  return new WebsocketProvider(wsBase, linkId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  })
}

/** Resolves when the provider reports its first completed sync. */
export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve()
  return new Promise((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return
      provider.off('sync', onSync)
      resolve()
    }
    provider.on('sync', onSync)
  })
}

export async function connectSynced(
  baseUrl: string,
  linkId: string,
  doc = new Y.Doc(),
): Promise<WebsocketProvider> {
  const provider = connect(baseUrl, linkId, doc)
  await synced(provider)
  return provider
}

/** Polls `condition` until it holds, failing with `message` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export function destroyAll(providers: WebsocketProvider[]) {
  for (const provider of providers) {
    provider.destroy()
    provider.doc.destroy()
  }
}
