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

/** Reads the raw body, refusing more than `limitBytes` (413) before buffering it. */
export async function readBytes(request: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limitBytes) throw new HttpError(413, `body exceeds ${limitBytes} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength
    if (size > limitBytes) throw new HttpError(413, `body exceeds ${limitBytes} bytes`)
    chunks.push(chunk as Buffer)
  }
  const body = Buffer.concat(chunks)
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
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
