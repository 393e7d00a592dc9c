/**
 * The one sanctioned test double: a local OpenAI-compatible HTTP server whose replies a test
 * scripts — streamed tool calls, plain text, 429/500 errors, hangs, garbage, truncation. The real
 * `openai` SDK talks to it over HTTP. Every request is recorded (model, time, body).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ScriptedReply =
  | {
      kind: 'tool'
      name: string
      /** The tool call's arguments as JSON text, streamed in pieces of `chunkChars`. */
      arguments: string
      chunkChars?: number
      /** Pause between chunks. */
      chunkDelayMs?: number
      /** Stop sending (the response stays open) once this many characters of arguments are out. */
      hangAfterChars?: number
      usage?: { in: number; out: number }
      finishReason?: 'tool_calls' | 'length' | 'stop'
    }
  | { kind: 'text'; content: string; usage?: { in: number; out: number } }
  | { kind: 'status'; status: number; retryAfterSeconds?: number; body?: string }
  | { kind: 'hang' }
  | { kind: 'garbage' }

export interface RecordedRequest {
  model: string
  at: number
  body: Record<string, unknown>
}

export interface ScriptedModel {
  /** Base URL for OPENAI_BASE_URL (`http://127.0.0.1:port/v1`). */
  baseUrl: string
  requests: RecordedRequest[]
  /** Replace the script: called for every request with the requests so far (this one last). */
  script(respond: (request: RecordedRequest, index: number) => ScriptedReply): void
  close(): Promise<void>
}

function sse(response: ServerResponse, payload: unknown) {
  response.write(`data: ${JSON.stringify(payload)}\n\n`)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}

export async function startScriptedModel(): Promise<ScriptedModel> {
  const requests: RecordedRequest[] = []
  const hanging = new Set<ServerResponse>()
  let respond: (request: RecordedRequest, index: number) => ScriptedReply = () => ({
    kind: 'text',
    content: 'unscripted',
  })

  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404).end()
      return
    }
    const body = await readBody(request)
    const recorded: RecordedRequest = { model: String(body.model ?? ''), at: Date.now(), body }
    requests.push(recorded)
    const reply = respond(recorded, requests.length - 1)
    const id = `chatcmpl-${requests.length}`
    const base = {
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: recorded.model,
    }
    switch (reply.kind) {
      case 'status': {
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds)
        response.writeHead(reply.status, headers)
        response.end(
          reply.body ?? JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'scripted' } }),
        )
        return
      }
      case 'hang':
        hanging.add(response)
        response.on('close', () => hanging.delete(response))
        return
      case 'garbage':
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        response.end('data: {"this is": not json at all\n\ndata: ]]]\n\n')
        return
      case 'text': {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        sse(response, {
          ...base,
          choices: [{ index: 0, delta: { role: 'assistant', content: reply.content } }],
        })
        sse(response, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
        sse(response, {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: reply.usage?.in ?? 0,
            completion_tokens: reply.usage?.out ?? 0,
            total_tokens: 0,
          },
        })
        response.end('data: [DONE]\n\n')
        return
      }
      case 'tool': {
        response.writeHead(200, { 'content-type': 'text/event-stream' })
        const size = reply.chunkChars ?? 40
        sse(response, {
          ...base,
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                tool_calls: [
                  { index: 0, id: 'call_1', type: 'function', function: { name: reply.name, arguments: '' } },
                ],
              },
            },
          ],
        })
        for (let at = 0; at < reply.arguments.length; at += size) {
          if (reply.hangAfterChars !== undefined && at >= reply.hangAfterChars) {
            hanging.add(response)
            response.on('close', () => hanging.delete(response))
            return
          }
          if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs)
          if (response.destroyed) return
          sse(response, {
            ...base,
            choices: [
              {
                index: 0,
                delta: {
                  tool_calls: [{ index: 0, function: { arguments: reply.arguments.slice(at, at + size) } }],
                },
              },
            ],
          })
        }
        sse(response, {
          ...base,
          choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason ?? 'tool_calls' }],
        })
        sse(response, {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: reply.usage?.in ?? 0,
            completion_tokens: reply.usage?.out ?? 0,
            total_tokens: (reply.usage?.in ?? 0) + (reply.usage?.out ?? 0),
          },
        })
        response.end('data: [DONE]\n\n')
        return
      }
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(next) {
      respond = next
    },
    async close() {
      for (const response of hanging) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A draw_diagram reply for `labels` chained left to right (ids n1, n2, …). */
export function chainDiagram(labels: string[]): string {
  return JSON.stringify({
    direction: 'right',
    nodes: labels.map((label, index) => ({ id: `n${index + 1}`, label, shape: 'rectangle' })),
    edges: labels.slice(1).map((_, index) => ({ from: `n${index + 1}`, to: `n${index + 2}` })),
  })
}
