/**
 * Talking to the co-pilot as a client would: request a job over REST, follow it over socket.io,
 * read the room's shapes and chat through a stock y-websocket provider.
 */
import { CHAT_KEY, readRecords, type TLRecord } from '@drawbridge/shared'
import { io, type Socket } from 'socket.io-client'
import type * as Y from 'yjs'
import { waitFor } from './clients'

export interface ChatEntry {
  id: string
  text: string
  jobId?: string
  undoable?: boolean
  author: { kind: 'human' | 'ai'; name: string }
}

export async function requestJob(
  baseUrl: string,
  linkId: string,
  body: {
    prompt?: string
    selection?: string[]
    attachment?: { name: string; text: string }
    viewport?: { pageId: string; x: number; y: number; w: number; h: number }
    authorName?: string
  },
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/api/links/${linkId}/ai`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

export async function startJob(baseUrl: string, linkId: string, prompt: string): Promise<string> {
  const response = await requestJob(baseUrl, linkId, { prompt })
  if (response.status !== 202) throw new Error(`POST /ai → ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { jobId: string }).jobId
}

export interface JobState {
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'nothing'
  /** Why a job ended as `nothing`. */
  reason?: string
  /** Where the drawing is (page coordinates), for a job that drew. */
  bounds?: { pageId: string; x: number; y: number; w: number; h: number }
  position?: number
  error?: string
  shapes: number
  attempts: number
  usage: { calls: number; tokensIn: number; tokensOut: number; costUsd: number }
}

export async function jobState(baseUrl: string, jobId: string): Promise<JobState> {
  const response = await fetch(`${baseUrl}/api/ai/jobs/${jobId}`)
  return (await response.json()) as JobState
}

export async function waitForJob(baseUrl: string, jobId: string, timeoutMs = 20_000): Promise<JobState> {
  let state: JobState | undefined
  await waitFor(
    async () => {
      state = await jobState(baseUrl, jobId)
      return state.status === 'succeeded' || state.status === 'failed' || state.status === 'nothing'
    },
    `job ${jobId} to finish`,
    timeoutMs,
  )
  return state!
}

/** Every socket.io event received for a job, in order. */
export async function subscribe(
  baseUrl: string,
  jobId: string,
): Promise<{ socket: Socket; events: Array<[string, unknown]> }> {
  const socket = io(baseUrl, { transports: ['websocket'], reconnection: false })
  const events: Array<[string, unknown]> = []
  socket.onAny((name: string, payload: unknown) => events.push([name, payload]))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
  await socket.emitWithAck('subscribe', { jobId })
  return { socket, events }
}

export function shapesOf(doc: Y.Doc): TLRecord[] {
  return [...readRecords(doc).values()].filter((record) => record.typeName === 'shape')
}

export function labelsOf(doc: Y.Doc): string[] {
  return shapesOf(doc)
    .map((shape) => JSON.stringify((shape as { props?: { richText?: unknown } }).props?.richText ?? ''))
    .map((json) => [...json.matchAll(/"text":"([^"]*)"/g)].map((match) => match[1]).join(''))
    .filter(Boolean)
}

export function chatOf(doc: Y.Doc): ChatEntry[] {
  return doc.getArray<ChatEntry>(CHAT_KEY).toArray()
}
