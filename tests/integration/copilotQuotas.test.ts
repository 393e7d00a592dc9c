/**
 * Fair co-pilot quotas (issue 18): what the built-in planner answers spends none of the plan's
 * model quota (it has its own per-minute limit), a failed request is not counted, and anonymous
 * requesters are limited per address across boards — one address opening 53 boards does not get
 * 53 model requests. A scripted OpenAI-compatible server stands in for the model.
 */
import type { RunningServer } from '@drawbridge/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRoom } from './support/clients'
import { requestJob, startJob, waitForJob } from './support/copilot'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { chainDiagram, type ScriptedModel, startScriptedModel } from './support/scriptedModel'
import { startTestServer } from './support/servers'

const FLOWCHART = 'graph TD\n  A[Sign up] --> B[Verify email] --> C[Pay]'

interface Quota {
  used: { hour: number; day: number }
  remaining: { hour: number; day: number }
}

async function quotaOf(baseUrl: string, linkId: string): Promise<Quota> {
  return (await (await fetch(`${baseUrl}/api/links/${linkId}/ai/quota`)).json()) as Quota
}

describe('co-pilot quotas', () => {
  let database: TestDatabase
  let model: ScriptedModel
  const servers: RunningServer[] = []

  /**
   * A server with the scripted model; `limits` override the generous test limits ('' = the
   * default). Counting per address spans every board of a database, so those tests get their own.
   */
  async function serverWith(limits: Record<string, string> = {}, own?: TestDatabase) {
    const server = await startTestServer(own ?? database, {
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: model.baseUrl,
      AI_MODEL: 'scripted',
      AI_POLL_MS: '20',
      AI_MAX_RETRIES: '0',
      AI_RETRY_BASE_MS: '1',
      AI_GLOBAL_RPM: '100000',
      AI_GLOBAL_TPM: '100000000',
      ...limits,
    })
    servers.push(server)
    return server
  }

  beforeAll(async () => {
    model = await startScriptedModel()
    database = await createTestDatabase('postgres')
  })
  const ownDatabases: TestDatabase[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop()
    for (const own of ownDatabases.splice(0)) await own.drop()
  })
  async function freshDatabase() {
    const own = await createTestDatabase('postgres')
    ownDatabases.push(own)
    return own
  }
  afterAll(async () => {
    await model?.close()
    await database?.drop()
  })

  it('leaves the model quota untouched for what the planner answers, and spends it for the model', async () => {
    model.script(() => ({ kind: 'tool', name: 'draw_diagram', arguments: chainDiagram(['Cart', 'Pay']) }))
    const server = await serverWith()
    const room = await createRoom(server.url)
    const before = await quotaOf(server.url, room.links.edit.id)
    expect(before.used).toMatchObject({ hour: 0, day: 0 })
    const calls = model.requests.length

    // A Mermaid flowchart, an arrow list and a CSV edge list: drawn by the planner, with a model configured.
    for (const prompt of [FLOWCHART, 'Browser -> API -> Database', 'from,to\nWeb,API\nAPI,DB']) {
      const jobId = await startJob(server.url, room.links.edit.id, prompt)
      expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    }
    expect(model.requests.length).toBe(calls)
    expect(await quotaOf(server.url, room.links.edit.id)).toEqual(before)

    // A free-form prompt goes to the model and counts.
    const modelJob = await startJob(server.url, room.links.edit.id, 'draw our checkout flow')
    expect((await waitForJob(server.url, modelJob)).status).toBe('succeeded')
    expect(model.requests.length).toBe(calls + 1)
    const after = await quotaOf(server.url, room.links.edit.id)
    expect(after.used).toMatchObject({ hour: 1, day: 1 })
    expect(after.remaining.hour).toBe(before.remaining.hour - 1)
  })

  it('does not count a request that failed', async () => {
    model.script(() => ({ kind: 'status', status: 500, body: '{"error":{"message":"down"}}' }))
    const server = await serverWith()
    const room = await createRoom(server.url)
    const before = await quotaOf(server.url, room.links.edit.id)
    const jobId = await startJob(server.url, room.links.edit.id, 'draw our deployment')
    expect((await waitForJob(server.url, jobId)).status).toBe('failed')
    expect(await quotaOf(server.url, room.links.edit.id)).toEqual(before)
  })

  it('keeps the free plan’s hourly limit for model requests (429 + Retry-After naming it)', async () => {
    model.script(() => ({ kind: 'tool', name: 'draw_diagram', arguments: chainDiagram(['A', 'B']) }))
    const server = await serverWith()
    const room = await createRoom(server.url)
    for (let index = 0; index < 5; index++) {
      const jobId = await startJob(server.url, room.links.edit.id, `draw system ${index}`)
      expect((await waitForJob(server.url, jobId)).status).toBe('succeeded')
    }
    const sixth = await requestJob(server.url, room.links.edit.id, { prompt: 'draw one more' })
    expect(sixth.status).toBe(429)
    const retryAfter = Number(sixth.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(3000)
    expect(retryAfter).toBeLessThanOrEqual(3600)
    const body = (await sixth.json()) as { limit: string; scope: string; error: string }
    expect(body).toMatchObject({ limit: 'hour', scope: 'plan' })
    expect(body.error).toMatch(/5 requests per hour/)
    // The planner still answers.
    expect((await requestJob(server.url, room.links.edit.id, { prompt: FLOWCHART })).status).toBe(202)
  })

  it('limits an anonymous address across boards: 53 boards do not get 53 model requests', async () => {
    // No workers: every request stays queued, as when a burst arrives. '' = the default limits.
    const server = await serverWith(
      { AI_WORKERS: '0', AI_ANON_IP_PER_HOUR: '', AI_ANON_IP_PER_DAY: '' },
      await freshDatabase(),
    )
    const statuses: number[] = []
    let refusal: { limit?: string; scope?: string; error?: string } = {}
    for (let board = 0; board < 53; board++) {
      const room = await createRoom(server.url, `board ${board}`)
      const response = await requestJob(server.url, room.links.edit.id, { prompt: `draw system ${board}` })
      statuses.push(response.status)
      if (response.status === 429) refusal = (await response.json()) as typeof refusal
      else await response.body?.cancel()
    }
    const accepted = statuses.filter((status) => status === 202).length
    expect(accepted).toBe(20)
    expect(statuses.slice(20).every((status) => status === 429)).toBe(true)
    expect(refusal).toMatchObject({ limit: 'hour', scope: 'address' })
    expect(refusal.error).toMatch(/across all boards/)
  })

  it('gives the planner its own per-minute limit, per address across boards', async () => {
    const server = await serverWith({ AI_WORKERS: '0', AI_PLANNER_PER_MINUTE: '' }, await freshDatabase())
    const statuses: number[] = []
    for (let board = 0; board < 25; board++) {
      const room = await createRoom(server.url, `board ${board}`)
      const response = await requestJob(server.url, room.links.edit.id, { prompt: `A${board} -> B${board}` })
      statuses.push(response.status)
      await response.body?.cancel()
    }
    expect(statuses.filter((status) => status === 202)).toHaveLength(20)
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429])
  })
})
