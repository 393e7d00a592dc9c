/** JSON in and out of node:http: bounded body reading, zod validation, error responses. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/**
 * Past a refusal (413, 403, …) the rest of a body is still read and dropped, up to this many
 * bytes, so the client can read the answer: a server that stops reading mid-upload and closes
 * resets the connection, which a browser reports as a network error and Node's fetch as EPIPE.
 * Bodies that say (Content-Length) or turn out to be larger than this are cut off.
 */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024

const tooLarge = (limitBytes: number) => new HttpError(413, `body exceeds ${limitBytes} bytes`)

/**
 * Reads the raw body, refusing more than `limitBytes` (413) before buffering it. On refusal the
 * request is paused, not destroyed: the router drains it ({@link drainBody}) before answering.
 */
export function readBytes(request: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = (error: Error) => {
      request.off('data', onData).off('end', onEnd).off('error', stop)
      request.pause()
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > limitBytes) return stop(tooLarge(limitBytes))
      chunks.push(chunk)
    }
    const onEnd = () => {
      request.off('data', onData).off('error', stop)
      const body = Buffer.concat(chunks)
      resolve(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
    }
    request.on('data', onData).once('end', onEnd).once('error', stop)
  })
}

/**
 * Reads and drops what is left of a request's body, up to {@link MAX_DRAIN_BYTES}; resolves true
 * when the body was read to its end (the connection can then carry the answer), false when it was
 * too large and the request was destroyed instead.
 */
export function drainBody(request: IncomingMessage): Promise<boolean> {
  if (request.complete || request.destroyed) return Promise.resolve(!request.destroyed)
  if (Number(request.headers['content-length'] ?? 0) > MAX_DRAIN_BYTES) return Promise.resolve(false)
  return new Promise((resolve) => {
    let drained = 0
    const finish = (complete: boolean) => {
      request.off('data', onData).off('end', onEnd).off('close', onClose)
      resolve(complete)
    }
    const onData = (chunk: Buffer) => {
      drained += chunk.byteLength
      if (drained > MAX_DRAIN_BYTES) {
        finish(false)
        request.destroy()
      }
    }
    const onEnd = () => finish(true)
    const onClose = () => finish(request.complete)
    request.on('data', onData).once('end', onEnd).once('close', onClose)
    request.resume()
  })
}

/** Reads the body as JSON, refusing more than `limitBytes` (413) and invalid JSON (400). */
async function readJson(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const bytes = await readBytes(request, limitBytes)
  if (bytes.byteLength === 0) return {}
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new HttpError(400, 'body is not valid JSON')
  }
}

/** Reads and validates a JSON body; a schema mismatch is a 400 naming the bad fields. */
export async function readBody<S extends z.ZodType>(request: IncomingMessage, schema: S, limitBytes: number) {
  const parsed = schema.safeParse(await readJson(request, limitBytes))
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ')
    throw new HttpError(400, `invalid request: ${detail}`)
  }
  return parsed.data as z.infer<S>
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  })
  response.end(text)
}
