/**
 * Calling models through the `openai` SDK: one streamed chat completion with tools, retried on
 * 429 / 5xx / timeouts / broken streams with exponential backoff and full jitter, then the next
 * model of the fallback chain, then a clear failure. Every attempt is reported (for usage_records).
 * Owns: the HTTP conversation with models. Must not touch: the queue, the document, prompts.
 */
import OpenAI from 'openai'
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions'
import type { Logger } from '../../logger'
import type { ModelCallRecord } from '../../storage/copilot/usageStore'
import { costOf, type ModelSpec } from './registry'

/** What the model has produced so far in one attempt (sent on every streamed chunk). */
export interface StreamSnapshot {
  model: string
  /** 1-based attempt across the whole chain; a new attempt starts from empty text. */
  attempt: number
  toolName: string | undefined
  argumentsText: string
  content: string
}

export interface ModelReply {
  model: ModelSpec
  toolName: string | undefined
  argumentsText: string
  content: string
  finishReason: string | undefined
  tokensIn: number
  tokensOut: number
}

export interface ModelRequest {
  messages: ChatCompletionMessageParam[]
  tools: ChatCompletionTool[]
  onSnapshot?: (snapshot: StreamSnapshot) => void
  /** Aborts the request in flight and any retry (the job was interrupted); recorded, never retried. */
  signal?: AbortSignal
}

export interface ModelCallerOptions {
  maxRetries: number
  retryBaseMs: number
  /** A call (or a stream that stops sending) longer than this is aborted and retried. */
  timeoutMs: number
  /** Longest wait between retries, whatever Retry-After says. */
  maxBackoffMs?: number
}

/** Every model in the chain failed; `message` is what the chat shows. */
export class ModelFailure extends Error {}

class StreamTimeout extends Error {}

type Classified = { retry: boolean; reason: string; retryAfterMs?: number }

function classify(error: unknown): Classified {
  if (error instanceof StreamTimeout) return { retry: true, reason: error.message }
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { retry: true, reason: 'timed out' }
  if (error instanceof OpenAI.APIConnectionError) return { retry: true, reason: 'connection failed' }
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0
    const header = error.headers?.get?.('retry-after')
    const seconds = header ? Number(header) : Number.NaN
    const reason = `HTTP ${status}${error.message ? `: ${error.message.slice(0, 200)}` : ''}`
    if (status === 429 || status >= 500 || status === 408)
      return { retry: true, reason, retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : undefined }
    return { retry: false, reason }
  }
  // A stream cut short or full of garbage: another attempt may well succeed.
  return { retry: true, reason: error instanceof Error ? error.message.slice(0, 200) : String(error) }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const INTERRUPTED = 'The co-pilot was interrupted; the request runs again.'

export class ModelCaller {
  private readonly clients = new Map<string, OpenAI>()

  constructor(
    private readonly options: ModelCallerOptions,
    private readonly record: (call: ModelCallRecord) => Promise<void>,
    private readonly log: Logger,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /** Tries each model of `chain` in order, each up to 1 + maxRetries times. */
  async call(chain: ModelSpec[], request: ModelRequest): Promise<ModelReply> {
    let attempt = 0
    const failures: string[] = []
    for (const model of chain) {
      for (let retry = 0; retry <= this.options.maxRetries; retry++) {
        if (request.signal?.aborted) throw new ModelFailure(INTERRUPTED)
        attempt += 1
        const started = Date.now()
        try {
          const reply = await this.attempt(model, attempt, request)
          await this.record({
            model: model.id,
            tokensIn: reply.tokensIn,
            tokensOut: reply.tokensOut,
            costUsd: costOf(model, reply.tokensIn, reply.tokensOut),
            success: true,
            latencyMs: Date.now() - started,
            error: undefined,
          })
          return reply
        } catch (error) {
          const verdict = classify(error)
          await this.record({
            model: model.id,
            tokensIn: 0,
            tokensOut: 0,
            costUsd: 0,
            success: false,
            latencyMs: Date.now() - started,
            error: verdict.reason,
          })
          if (request.signal?.aborted) throw new ModelFailure(INTERRUPTED)
          this.log.warn({ model: model.id, attempt, reason: verdict.reason }, 'model call failed')
          if (!verdict.retry || retry === this.options.maxRetries) {
            failures.push(`${model.id}: ${verdict.reason}`)
            break
          }
          await this.waitUnlessAborted(this.backoff(retry, verdict.retryAfterMs), request.signal)
        }
      }
    }
    throw new ModelFailure(`The model did not answer (${failures.join('; ')}).`)
  }

  private async waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return this.wait(ms)
    let onAbort: (() => void) | undefined
    const aborted = new Promise<void>((resolve) => {
      onAbort = () => resolve()
      signal.addEventListener('abort', onAbort, { once: true })
    })
    await Promise.race([this.wait(ms), aborted])
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }

  /** Full jitter: a random wait up to base·2^retry, at least what Retry-After asks, capped. */
  private backoff(retry: number, retryAfterMs: number | undefined): number {
    const cap = this.options.maxBackoffMs ?? 30_000
    const jittered = Math.random() * this.options.retryBaseMs * 2 ** retry
    return Math.min(cap, Math.max(jittered, retryAfterMs ?? 0))
  }

  private client(model: ModelSpec): OpenAI {
    const key = `${model.baseUrl ?? ''}\n${model.apiKey}`
    let client = this.clients.get(key)
    if (!client) {
      // Retries are ours (with fallbacks and usage rows), so the SDK's own are off.
      client = new OpenAI({ apiKey: model.apiKey, baseURL: model.baseUrl, maxRetries: 0 })
      this.clients.set(key, client)
    }
    return client
  }

  private async attempt(model: ModelSpec, attempt: number, request: ModelRequest): Promise<ModelReply> {
    const abort = new AbortController()
    const { timeoutMs } = this.options
    let timer: NodeJS.Timeout | undefined
    let timedOut = false
    let lastHeard = Date.now()
    let settled = false
    const expire = () => {
      // A busy event loop (a large layout) fires this late, maybe with chunks already waiting to
      // be read: let pending I/O run first, then judge by how long the model has really been quiet.
      setImmediate(() => {
        if (settled) return
        const quiet = Date.now() - lastHeard
        if (quiet < timeoutMs) {
          timer = setTimeout(expire, timeoutMs - quiet)
          return
        }
        timedOut = true
        abort.abort()
      })
    }
    const interrupt = () => abort.abort()
    request.signal?.addEventListener('abort', interrupt, { once: true })
    const arm = () => {
      lastHeard = Date.now()
      clearTimeout(timer)
      timer = setTimeout(expire, timeoutMs)
    }
    arm()
    const useTools = model.capabilities.includes('tools') && request.tools.length > 0
    let toolName: string | undefined
    let argumentsText = ''
    let content = ''
    let finishReason: string | undefined
    let tokensIn = 0
    let tokensOut = 0
    try {
      const stream = await this.client(model).chat.completions.create(
        {
          model: model.model,
          messages: request.messages,
          ...(useTools ? { tools: request.tools, tool_choice: 'required' as const } : {}),
          max_tokens: model.maxTokens,
          temperature: model.temperature,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: abort.signal, timeout: timeoutMs },
      )
      for await (const chunk of stream) {
        arm()
        if (chunk.usage) {
          tokensIn = chunk.usage.prompt_tokens ?? 0
          tokensOut = chunk.usage.completion_tokens ?? 0
        }
        const choice = chunk.choices?.[0]
        if (!choice) continue
        if (choice.finish_reason) finishReason = choice.finish_reason
        const delta = choice.delta
        if (delta?.content) content += delta.content
        // The first tool call is the answer; models asked for one call rarely make more.
        for (const call of delta?.tool_calls ?? []) {
          if ((call.index ?? 0) !== 0) continue
          if (call.function?.name) toolName = call.function.name
          if (call.function?.arguments) argumentsText += call.function.arguments
        }
        request.onSnapshot?.({ model: model.id, attempt, toolName, argumentsText, content })
      }
    } catch (error) {
      if (timedOut) throw new StreamTimeout(`no answer within ${timeoutMs} ms`)
      throw error
    } finally {
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', interrupt)
    }
    if (request.signal?.aborted) throw new Error('interrupted')
    // The SDK ends a stream aborted mid-way quietly, as if it were complete: it is not.
    if (timedOut) throw new StreamTimeout(`the answer stopped for ${timeoutMs} ms before it was complete`)
    if (!toolName && !content) throw new Error('the model sent an empty answer')
    return { model, toolName, argumentsText, content, finishReason, tokensIn, tokensOut }
  }
}
