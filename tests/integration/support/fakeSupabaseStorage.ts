/**
 * A small HTTP server shaped like Supabase Storage's REST API, as `@supabase/supabase-js` calls it
 * (`/storage/v1/bucket…`, `/storage/v1/object…`), so the Supabase asset store runs against it in
 * tests: service-role auth headers checked, objects kept in memory, Supabase's error bodies.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeObject {
  bytes: Buffer
  contentType: string
  cacheControl: string | undefined
}

export interface FakeSupabaseStorage {
  url: string
  serviceRoleKey: string
  buckets: Map<string, { public: boolean }>
  /** `bucket/path` → object. */
  objects: Map<string, FakeObject>
  /** `METHOD path` of every request, in order. */
  requests: string[]
  close(): Promise<void>
}

const PREFIX = '/storage/v1'

function send(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json' }).end(text)
}

const notFound = (response: ServerResponse, what: string) =>
  send(response, 404, {
    statusCode: '404',
    code: 'NoSuchKey',
    error: 'not_found',
    message: `${what} not found`,
  })

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function startFakeSupabaseStorage(
  serviceRoleKey = 'service-role-key-for-tests',
): Promise<FakeSupabaseStorage> {
  const buckets = new Map<string, { public: boolean }>()
  const objects = new Map<string, FakeObject>()
  const requests: string[] = []

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://x')
    const path = decodeURIComponent(url.pathname)
    requests.push(`${request.method} ${path}`)
    if (
      request.headers.authorization !== `Bearer ${serviceRoleKey}` ||
      request.headers.apikey !== serviceRoleKey
    ) {
      send(response, 403, { statusCode: '403', error: 'Unauthorized', message: 'invalid signature' })
      return
    }
    if (!path.startsWith(`${PREFIX}/`)) return notFound(response, 'Route')
    const rest = path.slice(PREFIX.length)
    const on = (method: string, pattern: RegExp) =>
      request.method === method ? (pattern.exec(rest)?.slice(1) as string[] | undefined) : undefined
    let params: string[] | undefined

    params = on('GET', /^\/bucket\/([^/]+)$/)
    if (params !== undefined) {
      const bucket = buckets.get(params[0]!)
      if (!bucket) return notFound(response, 'Bucket')
      return send(response, 200, { id: params[0], name: params[0], public: bucket.public })
    }
    if (on('POST', /^\/bucket$/)) {
      const body = JSON.parse((await readBody(request)).toString('utf8')) as { id: string; public: boolean }
      if (buckets.has(body.id))
        return send(response, 409, {
          statusCode: '409',
          error: 'Duplicate',
          message: 'The resource already exists',
        })
      buckets.set(body.id, { public: body.public })
      return send(response, 200, { name: body.id })
    }
    params = on('GET', /^\/object\/info\/([^/]+)\/(.+)$/)
    if (params !== undefined) {
      const key = `${params[0]}/${params[1]}`
      const object = objects.get(key)
      if (!object) return notFound(response, 'Object')
      return send(response, 200, {
        id: key,
        name: params[1],
        size: object.bytes.byteLength,
        content_type: object.contentType,
        cache_control: object.cacheControl,
      })
    }
    params = on('POST', /^\/object\/([^/]+)\/(.+)$/) ?? on('PUT', /^\/object\/([^/]+)\/(.+)$/)
    if (params !== undefined) {
      const [bucket, name] = [params[0]!, params[1]!]
      if (!buckets.has(bucket)) return notFound(response, 'Bucket')
      const key = `${bucket}/${name}`
      const upsert = request.method === 'PUT' || request.headers['x-upsert'] === 'true'
      if (objects.has(key) && !upsert)
        return send(response, 409, {
          statusCode: '409',
          error: 'Duplicate',
          message: 'The resource already exists',
        })
      objects.set(key, {
        bytes: await readBody(request),
        contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
        cacheControl: request.headers['cache-control'],
      })
      return send(response, 200, { Id: key, Key: key })
    }
    params = on('GET', /^\/object\/([^/]+)\/(.+)$/)
    if (params !== undefined) {
      const object = objects.get(`${params[0]}/${params[1]}`)
      if (!object) return notFound(response, 'Object')
      response.writeHead(200, {
        'content-type': object.contentType,
        'content-length': object.bytes.byteLength,
      })
      response.end(object.bytes)
      return
    }
    params = on('DELETE', /^\/object\/([^/]+)$/)
    if (params !== undefined) {
      const bucket = params[0]!
      const body = JSON.parse((await readBody(request)).toString('utf8')) as { prefixes: string[] }
      const deleted = body.prefixes.filter((name) => objects.delete(`${bucket}/${name}`))
      return send(
        response,
        200,
        deleted.map((name) => ({ name, bucket_id: bucket })),
      )
    }
    return notFound(response, 'Route')
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { message: String(error) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    serviceRoleKey,
    buckets,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
