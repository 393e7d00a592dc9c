/**
 * The co-pilot with a model: the real `openai` SDK in the server talks over HTTP to a scripted
 * OpenAI-compatible server. Shows what people in the room notice: a streamed diagram appearing
 * shape by shape with the co-pilot's cursor; usage rows and the usage report matching the scripted
 * token counts and registry prices; retries, backoff, fallback and timeouts as configured; garbage,
 * broken, truncated and huge answers never putting an invalid record in the doc and always
 * explained in the chat; edits of an existing diagram (restyle, insert between, undo) driven by the
 * board description's short ids; and a global token budget that makes jobs wait, not fail.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningServer } from '@drawbridge/server'
import {
  buildGeoShape,
  getIndices,
  labelOf,
  openRecords,
  pageBoxOf,
  readRecords,
  type TLRecord,
  type TLShape,
  validateDocumentRecord,
} from '@drawbridge/shared'
import postgres from 'postgres'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { chatOf, jobState, requestJob, shapesOf, startJob, subscribe, waitForJob } from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import {
  chainDiagram,
  type RecordedRequest,
  type ScriptedModel,
  type ScriptedReply,
  startScriptedModel,
} from './support/scriptedModel'
import { startTestServer } from './support/servers'

const RETRY_BASE_MS = 100
const MAX_RETRIES = 3
const TIMEOUT_MS = 800

// --- reading what the model was asked ------------------------------------------------------------

type Message = { role: string; content?: unknown }

/** The last user message of a recorded request: the board description and the request. */
function promptOf(request: RecordedRequest): string {
  const messages = (request.body.messages ?? []) as Message[]
  const last = [...messages].reverse().find((message) => message.role === 'user')
  return typeof last?.content === 'string' ? last.content : ''
}

/** The board description's short id of the shape labelled `label` (e.g. `s2`). */
function shortIdOf(prompt: string, label: string): string {
  const match = new RegExp(`^(s\\d+) \\w+ ${JSON.stringify(label)} at`, 'm').exec(prompt)
  if (!match) throw new Error(`no shape "${label}" in the board description:\n${prompt}`)
  return match[1]!
}

/**
 * Routes the scripted model's replies by a tag in the user's request, so each test scripts its
 * own job; `nth` counts that tag's requests from 0.
 */
class Router {
  private readonly routes = new Map<string, (request: RecordedRequest, nth: number) => ScriptedReply>()
  private readonly counts = new Map<string, number>()

  constructor(private readonly model: ScriptedModel) {
    model.script((request) => {
      const prompt = promptOf(request)
      for (const [tag, respond] of this.routes) {
        if (!prompt.includes(`[${tag}]`)) continue
        const nth = this.counts.get(tag) ?? 0
        this.counts.set(tag, nth + 1)
        return respond(request, nth)
      }
      return { kind: 'status', status: 400, body: JSON.stringify({ error: { message: 'unrouted request' } }) }
    })
  }

  on(tag: string, respond: (request: RecordedRequest, nth: number) => ScriptedReply): string {
    this.routes.set(tag, respond)
    return tag
  }

  requestsOf(tag: string): RecordedRequest[] {
    return this.model.requests.filter((request) => promptOf(request).includes(`[${tag}]`))
  }
}

// --- reading the board ------------------------------------------------------------------------------

const shapesOfType = (doc: Y.Doc, type: string) =>
  (shapesOf(doc) as TLShape[]).filter((shape) => shape.type === type)
const geoShapes = (doc: Y.Doc) => shapesOfType(doc, 'geo')
const arrowsOf = (doc: Y.Doc) => shapesOfType(doc, 'arrow')
const geoLabels = (doc: Y.Doc) => geoShapes(doc).map((shape) => labelOf(shape))

/** Every arrow as "from label → to label", read through its two bindings. */
function connectionsOf(doc: Y.Doc): string[] {
  const records = readRecords(doc)
  const ends = new Map<string, { start?: string; end?: string }>()
  for (const record of records.values()) {
    if (record.typeName !== 'binding') continue
    const binding = record as TLRecord & {
      fromId: string
      toId: string
      props: { terminal: 'start' | 'end' }
    }
    const target = records.get(binding.toId) as TLShape | undefined
    const entry = ends.get(binding.fromId) ?? {}
    entry[binding.props.terminal] = target ? labelOf(target) : `missing ${binding.toId}`
    ends.set(binding.fromId, entry)
  }
  return arrowsOf(doc)
    .map((arrow) => {
      const end = ends.get(arrow.id) ?? {}
      return `${end.start ?? 'free'} → ${end.end ?? 'free'}`
    })
    .sort()
}

/** Records the document holds that tldraw's validators reject (the doc must have none). */
function invalidRecords(doc: Y.Doc): string[] {
  const invalid: string[] = []
  for (const record of readRecords(doc).values()) {
    const checked = validateDocumentRecord(record)
    if (!checked.ok) invalid.push(`${record.id}: ${checked.error}`)
  }
  return invalid
}

function overlapping(shapes: TLShape[], others: TLShape[], records: Map<string, TLRecord>): string[] {
  const overlaps: string[] = []
  const boxes = shapes.map((shape) => ({ shape, box: pageBoxOf(shape, records) }))
  const otherBoxes = others.map((shape) => ({ shape, box: pageBoxOf(shape, records) }))
  for (const [i, a] of boxes.entries()) {
    for (const b of [...boxes.slice(i + 1), ...otherBoxes]) {
      if (a.shape.id === b.shape.id) continue
      const apart =
        a.box.x + a.box.w <= b.box.x ||
        b.box.x + b.box.w <= a.box.x ||
        a.box.y + a.box.h <= b.box.y ||
        b.box.y + b.box.h <= a.box.y
      if (!apart) overlaps.push(`${labelOf(a.shape)} overlaps ${labelOf(b.shape)}`)
    }
  }
  return overlaps
}

/** Puts labelled rectangles on the board as a person would (through their own provider). */
function addBoxes(doc: Y.Doc, boxes: Array<{ text: string; x: number; y: number; w: number; h: number }>) {
  const records = openRecords(doc)
  const indices = getIndices(boxes.length)
  const ids: string[] = []
  doc.transact(() => {
    for (const [i, box] of boxes.entries()) {
      const shape = buildGeoShape({ ...box, index: indices[i]! })
      records.set(shape.id, shape)
      ids.push(shape.id)
    }
  })
  return ids
}

const lastChat = (doc: Y.Doc) => chatOf(doc).at(-1)

interface UsageRow {
  model: string
  tokens_in: number
  tokens_out: number
  cost: number
  success: boolean
  latency_ms: number
  error: string | null
}

describe('co-pilot with a model over HTTP', () => {
  let database: TestDatabase
  let server: RunningServer
  let model: ScriptedModel
  let router: Router
  let sql: postgres.Sql
  let filesDir: string
  const open: WebsocketProvider[] = []

  beforeAll(async () => {
    model = await startScriptedModel()
    router = new Router(model)
    filesDir = await mkdtemp(join(tmpdir(), 'drawbridge-models-'))
    const modelsFile = join(filesDir, 'models.json')
    await writeFile(
      modelsFile,
      JSON.stringify({
        default: 'primary',
        models: [
          {
            id: 'primary',
            model: 'scripted-primary',
            baseUrl: model.baseUrl,
            pricePer1kInput: 0.5,
            pricePer1kOutput: 1.5,
            fallbacks: ['backup'],
          },
          {
            id: 'backup',
            model: 'scripted-backup',
            baseUrl: model.baseUrl,
            pricePer1kInput: 0.1,
            pricePer1kOutput: 0.2,
          },
        ],
      }),
    )
    database = await createTestDatabase('postgres')
    server = await startTestServer(database, {
      AI_MODELS_FILE: modelsFile,
      AI_POLL_MS: '20',
      AI_WORKERS: '2',
      AI_MAX_RETRIES: String(MAX_RETRIES),
      AI_RETRY_BASE_MS: String(RETRY_BASE_MS),
      AI_TIMEOUT_MS: String(TIMEOUT_MS),
      AI_GLOBAL_RPM: '100000',
      AI_GLOBAL_TPM: '100000000',
    })
    sql = postgres(database.env.DATABASE_URL!, { max: 2, onnotice: () => {} })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    destroyAll(open.splice(0))
  })
  afterAll(async () => {
    await sql?.end()
    await server?.stop()
    await model?.close()
    await database?.drop()
    if (filesDir) await rm(filesDir, { recursive: true, force: true })
  })

  async function watch(linkId: string) {
    const provider = await connectSynced(server.url, linkId)
    open.push(provider)
    return provider
  }

  async function usageRows(jobId: string): Promise<UsageRow[]> {
    return sql<UsageRow[]>`
      select model, tokens_in, tokens_out, cost_usd::float8 as cost, success, latency_ms, error
        from usage_records where job_id = ${jobId} order by id`
  }

  it('streams a diagram that a viewer sees appear shape by shape, beside existing shapes, with the co-pilot’s cursor', async () => {
    const room = await createRoom(server.url)
    const person = await watch(room.links.edit.id)
    const existing = addBoxes(person.doc, [
      { text: 'Existing A', x: 0, y: 0, w: 400, h: 300 },
      { text: 'Existing B', x: 500, y: 0, w: 300, h: 200 },
    ])
    const viewer = await watch(room.links.view.id)
    await waitFor(() => shapesOf(viewer.doc).length === 2, 'the viewer sees the existing shapes')

    const labels = ['Browser', 'CDN', 'Load balancer', 'API', 'Orders', 'Queue', 'Worker', 'Database']
    const spec = chainDiagram(labels)
    const tag = router.on('stream', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: spec,
      chunkChars: 12,
      chunkDelayMs: 30,
      usage: { in: 900, out: 300 },
    }))

    const seen: Array<{ at: number; count: number }> = []
    viewer.doc.on('update', () => seen.push({ at: Date.now(), count: geoShapes(viewer.doc).length - 2 }))
    const presence: Array<{ kind: string; name: string; cursor: unknown }> = []
    viewer.awareness.on('change', () => {
      for (const state of viewer.awareness.getStates().values()) {
        const user = (state as { user?: { kind: string; name: string } }).user
        if (user?.kind === 'ai') presence.push({ ...user, cursor: (state as { cursor?: unknown }).cursor })
      }
    })

    const response = await requestJob(server.url, room.links.edit.id, {
      prompt: `[${tag}] draw our order flow`,
    })
    expect(response.status).toBe(202)
    const { jobId } = (await response.json()) as { jobId: string }
    const { socket, events } = await subscribe(server.url, jobId)
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('succeeded')
    await waitFor(() => events.some(([name]) => name === 'ai:done'), 'ai:done over socket.io')
    socket.close()

    // The board ends with exactly the spec: eight nodes, seven arrows along the chain.
    await waitFor(
      () => geoShapes(viewer.doc).length === 10 && arrowsOf(viewer.doc).length === 7,
      'final diagram',
    )
    expect(
      geoLabels(viewer.doc)
        .filter((label) => !label.startsWith('Existing'))
        .sort(),
    ).toEqual([...labels].sort())
    expect(connectionsOf(viewer.doc)).toEqual(
      labels
        .slice(1)
        .map((label, i) => `${labels[i]} → ${label}`)
        .sort(),
    )
    expect(invalidRecords(viewer.doc)).toEqual([])
    const records = readRecords(viewer.doc)
    const drawn = geoShapes(viewer.doc).filter((shape) => !existing.includes(shape.id))
    const before = existing.map((id) => records.get(id) as TLShape)
    expect(overlapping(drawn, before, records)).toEqual([])

    // It appeared progressively: the viewer saw the count rise through several values (the time
    // from first token to first shape is the benchmark's to measure, not a test's).
    const counts = [...new Set(seen.map((entry) => entry.count).filter((count) => count > 0))]
    expect(counts.length).toBeGreaterThanOrEqual(4)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(counts.at(-1)).toBe(8)
    // Progress over socket.io, rising, and the co-pilot's own cursor while it drew.
    const progress = events.filter(([name]) => name === 'ai:progress').map(([, payload]) => payload)
    expect(progress.length).toBeGreaterThanOrEqual(2)
    const shapesReported = progress.map((payload) => (payload as { shapes: number }).shapes)
    expect(shapesReported).toEqual([...shapesReported].sort((a, b) => a - b))
    expect(
      presence.some((peer) => peer.name === 'Co-pilot' && peer.cursor !== null && peer.cursor !== undefined),
    ).toBe(true)
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the reply in chat')
    expect(lastChat(viewer.doc)!.text).toMatch(/Drew 8 shapes and 7 arrows/)
    expect(lastChat(viewer.doc)!.text).not.toMatch(/Left out/)
  })

  it('writes a usage row per model call at registry prices and reports totals by day and model', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const first = router.on('usage-one', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: chainDiagram(['Order', 'Invoice']),
      usage: { in: 1234, out: 567 },
    }))
    const jobOne = await startJob(server.url, room.links.edit.id, `[${first}] draw the billing flow`)
    expect((await waitForJob(server.url, jobOne)).status).toBe('succeeded')
    const rowsOne = await usageRows(jobOne)
    expect(rowsOne).toEqual([
      {
        model: 'primary',
        tokens_in: 1234,
        tokens_out: 567,
        cost: 1.4675, // 1.234 × $0.5 + 0.567 × $1.5
        success: true,
        latency_ms: expect.any(Number),
        error: null,
      },
    ])
    const polled = await jobState(server.url, jobOne)
    expect(polled.usage).toEqual({ calls: 1, tokensIn: 1234, tokensOut: 567, costUsd: 1.4675 })

    // The primary keeps failing: its attempts are rows too (success=false, no tokens), then the backup answers.
    const second = router.on('usage-two', (request) =>
      request.model === 'scripted-primary'
        ? { kind: 'status', status: 503 }
        : {
            kind: 'tool',
            name: 'draw_diagram',
            arguments: chainDiagram(['Cart', 'Pay']),
            usage: { in: 2000, out: 500 },
          },
    )
    const jobTwo = await startJob(server.url, room.links.edit.id, `[${second}] draw the checkout`)
    expect((await waitForJob(server.url, jobTwo)).status).toBe('succeeded')
    const rowsTwo = await usageRows(jobTwo)
    expect(rowsTwo.map((row) => [row.model, row.success, row.tokens_in, row.tokens_out, row.cost])).toEqual([
      ...Array.from({ length: MAX_RETRIES + 1 }, () => ['primary', false, 0, 0, 0]),
      ['backup', true, 2000, 500, 0.3], // 2 × $0.1 + 0.5 × $0.2
    ])
    for (const row of rowsTwo.slice(0, -1)) expect(row.error).toMatch(/503/)
    await waitFor(() => chatOf(viewer.doc).length === 4, 'both replies in chat')

    // The owner's report: totals by UTC day and model.
    const today = new Date().toISOString().slice(0, 10)
    const report = await fetch(`${server.url}/api/usage?roomId=${room.roomId}`, {
      headers: { 'x-owner-key': room.ownerKey },
    })
    expect(report.status).toBe(200)
    const body = (await report.json()) as { scope: string; totals: unknown[] }
    expect(body.scope).toBe('room')
    expect(body.totals).toEqual([
      { day: today, model: 'backup', calls: 1, failures: 0, tokensIn: 2000, tokensOut: 500, costUsd: 0.3 },
      {
        day: today,
        model: 'primary',
        calls: MAX_RETRIES + 2,
        failures: MAX_RETRIES + 1,
        tokensIn: 1234,
        tokensOut: 567,
        costUsd: 1.4675,
      },
    ])
    // Only the owner sees it.
    expect((await fetch(`${server.url}/api/usage?roomId=${room.roomId}`)).status).toBe(403)
    expect(
      (await fetch(`${server.url}/api/usage?roomId=${room.roomId}`, { headers: { 'x-owner-key': 'guess' } }))
        .status,
    ).toBe(403)
    expect((await fetch(`${server.url}/api/usage`)).status).toBe(401)
  })

  it('retries a 429 (honouring Retry-After) and a 500, then succeeds on the same model', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('retry', (_request, nth) =>
      nth === 0
        ? { kind: 'status', status: 429, retryAfterSeconds: 1 }
        : nth === 1
          ? { kind: 'status', status: 500 }
          : {
              kind: 'tool',
              name: 'draw_diagram',
              arguments: chainDiagram(['Retry', 'Works']),
              usage: { in: 10, out: 20 },
            },
    )
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw the retry path`)
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    const requests = router.requestsOf(tag)
    expect(requests.map((request) => request.model)).toEqual(Array(3).fill('scripted-primary'))
    // Retry-After: 1 is a floor for the wait after the 429.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(1000)
    const rows = await usageRows(jobId)
    expect(rows.map((row) => row.success)).toEqual([false, false, true])
    expect(rows[0]!.error).toMatch(/429/)
    expect(rows[1]!.error).toMatch(/500/)
    expect(rows[2]).toMatchObject({ model: 'primary', tokens_in: 10, tokens_out: 20 })
    await waitFor(() => geoLabels(viewer.doc).length === 2, 'the diagram drawn once')
    expect(geoLabels(viewer.doc).sort()).toEqual(['Retry', 'Works'])
  })

  it('backs off exponentially between retries (jitter pinned at its ceiling), then falls back to the next model', async () => {
    // Full jitter waits a random share of base·2^retry; pinned near 1, the waits are that envelope.
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('fallback', (request) =>
      request.model === 'scripted-primary'
        ? { kind: 'status', status: 500 }
        : {
            kind: 'tool',
            name: 'draw_diagram',
            arguments: chainDiagram(['Fallback', 'Model']),
            usage: { in: 5, out: 5 },
          },
    )
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw something`)
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    vi.restoreAllMocks()
    const requests = router.requestsOf(tag)
    expect(requests.map((request) => request.model)).toEqual([
      ...Array(MAX_RETRIES + 1).fill('scripted-primary'),
      'scripted-backup',
    ])
    const gaps = requests.slice(1, MAX_RETRIES + 1).map((request, i) => request.at - requests[i]!.at)
    for (const [retry, gap] of gaps.entries()) {
      expect(gap, `wait before retry ${retry + 1}`).toBeGreaterThanOrEqual(
        Math.floor(0.99 * RETRY_BASE_MS * 2 ** retry) - 2,
      )
    }
    // Growth, not just floors: the last wait is four times the first (noise of a loaded machine aside).
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]! + RETRY_BASE_MS)
    const rows = await usageRows(jobId)
    expect(rows.map((row) => `${row.model}:${row.success}`)).toEqual([
      ...Array(MAX_RETRIES + 1).fill('primary:false'),
      'backup:true',
    ])
    await waitFor(() => geoLabels(viewer.doc).length === 2, 'the backup model’s diagram')
  })

  it('keeps unpinned waits within the exponential envelope, and fails in words when every model fails', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('all-fail', () => ({ kind: 'status', status: 500 }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw anything`)
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('failed')
    expect(state.shapes).toBe(0)
    const requests = router.requestsOf(tag)
    expect(requests.map((request) => request.model)).toEqual([
      ...Array(MAX_RETRIES + 1).fill('scripted-primary'),
      ...Array(MAX_RETRIES + 1).fill('scripted-backup'),
    ])
    for (const offset of [0, MAX_RETRIES + 1]) {
      for (let retry = 0; retry < MAX_RETRIES; retry++) {
        const gap = requests[offset + retry + 1]!.at - requests[offset + retry]!.at
        // Generous slack for the failed call and its usage row; the wait itself is at most base·2^retry.
        expect(gap).toBeLessThanOrEqual(RETRY_BASE_MS * 2 ** retry + 600)
      }
    }
    const rows = await usageRows(jobId)
    expect(rows).toHaveLength(2 * (MAX_RETRIES + 1))
    expect(rows.every((row) => !row.success)).toBe(true)
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the failure in chat')
    const reply = lastChat(viewer.doc)!.text
    expect(reply).toMatch(/did not answer/)
    expect(reply).toMatch(/primary: HTTP 500/)
    expect(reply).toMatch(/backup: HTTP 500/)
    expect(state.error).toBe(reply)
    expect(shapesOf(viewer.doc)).toHaveLength(0)
  })

  it('gives up on a reply that hangs after AI_TIMEOUT_MS and retries', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('hang', (_request, nth) =>
      nth === 0
        ? { kind: 'hang' }
        : {
            kind: 'tool',
            name: 'draw_diagram',
            arguments: chainDiagram(['Slow', 'Fast']),
            usage: { in: 1, out: 1 },
          },
    )
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw it`)
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    const requests = router.requestsOf(tag)
    expect(requests).toHaveLength(2)
    // (The timer starts before the request leaves, so the attempt's latency is the measure, not the gap.)
    const rows = await usageRows(jobId)
    expect(rows.map((row) => row.success)).toEqual([false, true])
    expect(rows[0]!.error).toMatch(/timed out|no answer within/)
    expect(rows[0]!.latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5)
    await waitFor(() => geoLabels(viewer.doc).length === 2, 'the diagram after the retry')
  })

  it('retries a stream that goes quiet mid-answer instead of taking what came as the whole answer', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('stall', (_request, nth) => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: chainDiagram(['Quiet', 'Then', 'Loud']),
      // The first answer names its tool, then is silent for longer than AI_TIMEOUT_MS.
      ...(nth === 0 ? { chunkDelayMs: TIMEOUT_MS * 3 } : {}),
      usage: { in: 3, out: 3 },
    }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw it`)
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    expect(router.requestsOf(tag)).toHaveLength(2)
    const rows = await usageRows(jobId)
    expect(rows.map((row) => row.success)).toEqual([false, true])
    expect(rows[0]!.error).toMatch(/stopped for 800 ms/)
    await waitFor(() => connectionsOf(viewer.doc).length === 2, 'the whole diagram from the retry')
    expect(connectionsOf(viewer.doc)).toEqual(['Quiet → Then', 'Then → Loud'])
  })

  it('does not take a busy server for a silent model: chunks that waited behind a stall still count', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('busy', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: chainDiagram(['Busy', 'Server', 'Still', 'Listens']),
      chunkChars: 10,
      chunkDelayMs: 40,
      usage: { in: 4, out: 4 },
    }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw it`)
    await waitFor(() => router.requestsOf(tag).length === 1, 'the model asked')
    await new Promise((resolve) => setTimeout(resolve, 150))
    // This process (server and scripted model alike) is busy for well over AI_TIMEOUT_MS, as a
    // large layout would keep it; the model kept talking, its chunks are just late to be read.
    const until = Date.now() + TIMEOUT_MS * 2.5
    while (Date.now() < until) {
      // busy
    }
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    expect(router.requestsOf(tag)).toHaveLength(1)
    expect((await usageRows(jobId)).map((row) => row.success)).toEqual([true])
    await waitFor(() => connectionsOf(viewer.doc).length === 3, 'the whole diagram')
  })

  it('turns garbage into a failure in words and no shapes', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const tag = router.on('garbage', () => ({ kind: 'garbage' }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw`)
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('failed')
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the failure in chat')
    expect(lastChat(viewer.doc)!.text).toMatch(/^Sorry — The model did not answer/)
    expect(shapesOf(viewer.doc)).toHaveLength(0)
    expect(invalidRecords(viewer.doc)).toEqual([])
  })

  it('draws what a broken tool call still says and tells so; draws nothing from one that says nothing', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    // Three nodes, then the JSON breaks inside the edges.
    const broken =
      '{"direction":"right","nodes":[{"id":"a","label":"Alpha"},{"id":"b","label":"Beta"},{"id":"c","label":"Gamma"}],' +
      '"edges": oops, [{"from":"a","to":"b"}]}'
    const tag = router.on('broken', () => ({ kind: 'tool', name: 'draw_diagram', arguments: broken }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw`)
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('succeeded')
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the answer in chat')
    expect(invalidRecords(viewer.doc)).toEqual([])
    expect(geoLabels(viewer.doc).sort()).toEqual(['Alpha', 'Beta', 'Gamma'])
    expect(arrowsOf(viewer.doc)).toHaveLength(0)
    expect(lastChat(viewer.doc)!.text).toMatch(/Drew 3 shapes and 0 arrows/)
    expect(lastChat(viewer.doc)!.text).toMatch(/Left out: the model's answer was not valid JSON/)

    const nothing = router.on('nothing', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: '{nodes: [oops',
    }))
    const failedJob = await startJob(server.url, room.links.edit.id, `[${nothing}] draw`)
    const failed = await waitForJob(server.url, failedJob)
    expect(failed.status).toBe('failed')
    await waitFor(() => chatOf(viewer.doc).length === 4, 'the second answer in chat')
    expect(lastChat(viewer.doc)!.text).toMatch(
      /^I couldn't draw that: the model's answer held no usable diagram/,
    )
    expect(failed.error).toBe(lastChat(viewer.doc)!.text)
    expect(geoLabels(viewer.doc)).toHaveLength(3)
  })

  it('takes back what it streamed when the finished answer turns out unusable', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    // While streaming, the nodes look fine; the finished JSON redefines "nodes" as a number.
    const nodes = ['One', 'Two', 'Three', 'Four'].map((label, i) => ({ id: `n${i}`, label }))
    const sneaky = `{"nodes":${JSON.stringify(nodes)},"edges":[],"nodes":5}`
    const tag = router.on('sneaky', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: sneaky,
      chunkChars: 8,
      chunkDelayMs: 25,
    }))
    let most = 0
    viewer.doc.on('update', () => {
      most = Math.max(most, shapesOf(viewer.doc).length)
    })
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw`)
    const state = await waitForJob(server.url, jobId)
    expect(state.status).toBe('failed')
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the answer in chat')
    expect(most).toBeGreaterThan(0) // drafts were on the board while the answer streamed
    expect(lastChat(viewer.doc)!.text).toMatch(/"nodes" is not a list/)
    await waitFor(() => shapesOf(viewer.doc).length === 0, 'the drafts taken back')
  })

  it('draws the complete part of an answer cut off at the token limit and says the rest is missing', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const labels = ['One', 'Two', 'Three', 'Four', 'Five', 'Six']
    const full = chainDiagram(labels)
    // Cut inside the fourth edge ("n4" → "n5"): six complete nodes, three complete edges.
    const cut = full.slice(0, full.indexOf('{"from":"n4"') + '{"from":"n4","to":"n'.length)
    const tag = router.on('truncated', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: cut,
      finishReason: 'length',
      usage: { in: 50, out: 4096 },
    }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw six steps`)
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the reply in chat')
    expect(invalidRecords(viewer.doc)).toEqual([])
    expect(geoLabels(viewer.doc).sort()).toEqual([...labels].sort())
    expect(connectionsOf(viewer.doc)).toEqual(['One → Two', 'Three → Four', 'Two → Three'])
    const reply = lastChat(viewer.doc)!.text
    expect(reply).toMatch(/Drew 6 shapes and 3 arrows/)
    expect(reply).toMatch(
      /Left out: the model stopped mid-answer \(token limit\), so the last part is missing\./,
    )
    expect((await usageRows(jobId))[0]).toMatchObject({ success: true, tokens_out: 4096 })

    // Cut inside a node's label: that node is left out, not drawn under a made-up label.
    const midLabel = full.slice(0, full.indexOf('"Five"') + 3)
    const second = router.on('truncated-label', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: midLabel,
      finishReason: 'length',
    }))
    const secondJob = await startJob(server.url, room.links.edit.id, `[${second}] draw six steps again`)
    expect((await waitForJob(server.url, secondJob)).status).toBe('succeeded')
    await waitFor(() => chatOf(viewer.doc).length === 4, 'the second reply in chat')
    expect(lastChat(viewer.doc)!.text).toMatch(/Drew 4 shapes and 0 arrows/)
    expect(geoLabels(viewer.doc).filter((label) => !/^(One|Two|Three|Four|Five|Six)$/.test(label))).toEqual(
      [],
    )
    expect(geoLabels(viewer.doc)).toHaveLength(10)
  })

  it('draws the valid parts of a spec with bad shapes and dangling edges, and lists what it left out', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const spec = {
      nodes: [
        { id: 'a', label: 'Alpha', shape: 'blob' },
        { id: 'b', label: 'Beta', shape: 'diamond', color: 'chartreuse' },
        { id: 'c', label: { nested: true } },
        { label: 'Delta' },
        'not a node',
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'a', to: 'ghost' },
        { from: 'b', to: 'Delta' },
        { from: 'b', to: 'b' },
      ],
    }
    const tag = router.on('invalid-parts', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: JSON.stringify(spec),
    }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw`)
    expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the reply in chat')
    expect(invalidRecords(viewer.doc)).toEqual([])
    expect(geoLabels(viewer.doc).sort()).toEqual(['Alpha', 'Beta', 'c', 'Delta'].sort())
    expect(connectionsOf(viewer.doc)).toEqual(['Alpha → Beta', 'Beta → Delta'])
    const reply = lastChat(viewer.doc)!.text
    expect(reply).toMatch(/Drew 4 shapes and 2 arrows/)
    expect(reply).toMatch(/Left out: /)
    expect(reply).toMatch(/"blob" is not one of/)
    expect(reply).toMatch(/more/) // more than three problems: the rest are counted
  })

  it('caps a 10,000-node answer at the limit, draws only valid records and says how many were dropped', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    const labels = Array.from({ length: 10_000 }, (_, i) => `Node ${i + 1}`)
    const tag = router.on('huge', () => ({
      kind: 'tool',
      name: 'draw_diagram',
      arguments: chainDiagram(labels),
      chunkChars: 1_000_000,
      usage: { in: 100, out: 200_000 },
    }))
    const jobId = await startJob(server.url, room.links.edit.id, `[${tag}] draw everything`)
    const state = await waitForJob(server.url, jobId, 45_000)
    expect(state.status).toBe('succeeded')
    await waitFor(() => lastChat(viewer.doc)?.author.kind === 'ai', 'the reply in chat', 20_000)
    expect(invalidRecords(viewer.doc)).toEqual([])
    const nodes = geoShapes(viewer.doc)
    expect(nodes).toHaveLength(500)
    expect(arrowsOf(viewer.doc)).toHaveLength(499)
    const reply = lastChat(viewer.doc)!.text
    expect(reply).toMatch(/Drew 500 shapes and 499 arrows/)
    expect(reply).toMatch(/9500 nodes beyond the limit of 500 were dropped/)
    expect(router.requestsOf(tag)).toHaveLength(1)
  }, 60_000)

  it('edits a diagram through the board description: restyle, insert between, undo', async () => {
    const room = await createRoom(server.url)
    const viewer = await watch(room.links.view.id)
    // The board to edit: API → DB, drawn from an arrow list (the planner draws structured input).
    const drawn = await startJob(server.url, room.links.edit.id, 'API -> DB')
    expect((await waitForJob(server.url, drawn)).status).toBe('succeeded')
    await waitFor(() => connectionsOf(viewer.doc).length === 1, 'API → DB on the board')
    expect(connectionsOf(viewer.doc)).toEqual(['API → DB'])
    const shapeIdOf = (label: string) => geoShapes(viewer.doc).find((shape) => labelOf(shape) === label)!.id

    // "make the DB red": the model sees the board with short ids and answers with them.
    const restyle = router.on('restyle', (request) => ({
      kind: 'tool',
      name: 'edit_board',
      arguments: JSON.stringify({
        operations: [{ op: 'restyle', id: shortIdOf(promptOf(request), 'DB'), color: 'red' }],
      }),
    }))
    const restyleJob = await startJob(server.url, room.links.edit.id, `[${restyle}] restyle DB red`)
    expect((await waitForJob(server.url, restyleJob)).status).toBe('succeeded')
    const asked = promptOf(router.requestsOf(restyle)[0]!)
    expect(asked).toMatch(/^s\d+ rectangle "API" at -?\d+,-?\d+ size \d+x\d+/m)
    expect(asked).toMatch(/^s\d+ rectangle "DB" at/m)
    const api = shortIdOf(asked, 'API')
    const db = shortIdOf(asked, 'DB')
    expect(asked).toMatch(new RegExp(`^s\\d+ arrow ${api} -> ${db}$`, 'm'))
    const colorOf = (label: string) =>
      (geoShapes(viewer.doc).find((shape) => labelOf(shape) === label)!.props as { color: string }).color
    await waitFor(() => colorOf('DB') === 'red', 'DB turns red for the viewer')
    expect(colorOf('API')).toBe('black')
    expect(lastChat(viewer.doc)!.text).toMatch(/^Done: changed 1 record/)

    // A selection is the model's focus: listed first and named.
    const focus = router.on('focus', () => ({ kind: 'text', content: 'That is the database.' }))
    const response = await requestJob(server.url, room.links.edit.id, {
      prompt: `[${focus}] what is this?`,
      selection: [shapeIdOf('DB')],
    })
    expect(response.status).toBe(202)
    const { jobId: focusJob } = (await response.json()) as { jobId: string }
    // Answered in words: the job drew nothing, and says so (no "Done — 0 shapes", no "Undo this").
    expect(await waitForJob(server.url, focusJob)).toMatchObject({ status: 'nothing', reason: 'answered' })
    const focused = promptOf(router.requestsOf(focus)[0]!)
    expect(focused).toMatch(/^s1 rectangle "DB" at/m)
    expect(focused).toMatch(/Selected \(the user's focus\): s1$/m)
    await waitFor(() => lastChat(viewer.doc)?.text === 'That is the database.', 'the answer in chat')

    // "add a cache between API and DB": disconnect, add, connect twice.
    const before = Object.fromEntries(readRecords(viewer.doc))
    const insert = router.on('insert', (request) => {
      const prompt = promptOf(request)
      const [from, to] = [shortIdOf(prompt, 'API'), shortIdOf(prompt, 'DB')]
      return {
        kind: 'tool',
        name: 'edit_board',
        arguments: JSON.stringify({
          operations: [
            { op: 'disconnect', from, to },
            { op: 'add', node: { id: 'cache', label: 'Cache' }, near: from },
            { op: 'connect', from, to: 'cache' },
            { op: 'connect', from: 'cache', to },
          ],
        }),
      }
    })
    const insertJob = await startJob(
      server.url,
      room.links.edit.id,
      `[${insert}] add a cache between API and DB`,
    )
    expect((await waitForJob(server.url, insertJob)).status).toBe('succeeded')
    await waitFor(() => connectionsOf(viewer.doc).length === 2, 'two arrows through the cache')
    expect(connectionsOf(viewer.doc)).toEqual(['API → Cache', 'Cache → DB'])
    expect(geoLabels(viewer.doc).sort()).toEqual(['API', 'Cache', 'DB'])
    expect(invalidRecords(viewer.doc)).toEqual([])
    const records = readRecords(viewer.doc)
    expect(overlapping(geoShapes(viewer.doc), [], records)).toEqual([])

    // Undo puts the board back exactly as it was before the insert.
    const undo = await fetch(`${server.url}/api/ai/jobs/${insertJob}/undo`, {
      method: 'POST',
      headers: { 'x-link-id': room.links.edit.id },
    })
    expect(undo.status).toBe(200)
    await waitFor(() => connectionsOf(viewer.doc).join() === 'API → DB', 'API → DB again')
    expect(Object.fromEntries(readRecords(viewer.doc))).toEqual(before)
  })
})

describe('the global token budget', () => {
  it('makes a second job wait for the window to pass, then run — not fail', async () => {
    const model = await startScriptedModel()
    const database = await createTestDatabase('postgres')
    const windowMs = 4000
    const server = await startTestServer(database, {
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: model.baseUrl,
      AI_MODEL: 'scripted',
      AI_POLL_MS: '20',
      AI_GLOBAL_TPM: '100',
      AI_GLOBAL_WINDOW_MS: String(windowMs),
    })
    const sql = postgres(database.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    try {
      model.script(() => ({
        kind: 'tool',
        name: 'draw_diagram',
        arguments: chainDiagram(['Budget', 'Spent']),
        usage: { in: 150, out: 50 },
      }))
      const roomOne = await createRoom(server.url)
      const roomTwo = await createRoom(server.url)
      const first = await startJob(server.url, roomOne.links.edit.id, 'draw the first thing')
      expect((await waitForJob(server.url, first)).status).toBe('succeeded')
      const [spent] = await sql<
        Array<{ at: Date }>
      >`select created_at as at from usage_records where job_id = ${first}`
      // 200 tokens in the window, over the budget of 100: the next job waits for the window to pass.
      const second = await startJob(server.url, roomTwo.links.edit.id, 'draw the second thing')
      const statuses: string[] = []
      while (Date.now() < spent!.at.getTime() + windowMs - 300) {
        statuses.push((await jobState(server.url, second)).status)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      // However few polls a busy machine fits in the window, each one saw the job waiting; when the
      // model was called (below) is what proves the wait.
      expect(statuses.length).toBeGreaterThan(0)
      expect(new Set(statuses)).toEqual(new Set(['queued']))
      expect(model.requests).toHaveLength(1)
      const state = await waitForJob(server.url, second)
      expect(state.status).toBe('succeeded')
      expect(model.requests).toHaveLength(2)
      expect(model.requests[1]!.at).toBeGreaterThanOrEqual(spent!.at.getTime() + windowMs - 20)
    } finally {
      await sql.end()
      await server.stop()
      await model.close()
      await database.drop()
    }
  })
})
