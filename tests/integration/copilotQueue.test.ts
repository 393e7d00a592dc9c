/**
 * The AI queue itself, on the real Postgres: plan priority with ageing (a free request that has
 * waited long enough goes before a new pro one), and many instances claiming at once never get the
 * same job (FOR UPDATE SKIP LOCKED), with an expired lease handed to exactly one other instance.
 */
import { randomUUID } from 'node:crypto'
import { createLogger, type JobStore, openStorage } from '@drawbridge/server'
import { encodeSeededRoom } from '@drawbridge/shared'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/databases'

type Storage = Awaited<ReturnType<typeof openStorage>>

describe('AI queue on Postgres', () => {
  let database: TestDatabase
  let storage: Storage
  /** The test's own connection, to backdate rows (the server's stores hand out no SQL). */
  let sql: postgres.Sql
  let roomId: string

  const store = (ageingSeconds = 10, leaseMs = 60_000) =>
    storage.copilot.queue({
      queueMax: 1000,
      ageingSeconds,
      leaseMs,
      maxAttempts: 3,
      plannerPerMinute: 1000,
      anonymousPerAddress: { perHour: 1000, perDay: 1000 },
    })

  const enqueue = async (jobs: JobStore, requester: string, userId: string | null = null) => {
    const admission = await jobs.enqueue({
      roomId,
      userId,
      requester,
      quotaKey: requester,
      authorName: 'test',
      prompt: 'A -> B',
      selection: [],
      attachment: null,
      viewport: null,
      metered: true,
    })
    if (!admission.ok) throw new Error(`not admitted: ${JSON.stringify(admission)}`)
    return admission.job.id
  }
  const backdate = (jobId: string, seconds: number) =>
    sql`update ai_jobs set created_at = now() - (${seconds}::float8 * interval '1 second') where id = ${jobId}`

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    storage = await openStorage(
      { databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR },
      createLogger('silent'),
    )
    sql = postgres(database.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    roomId = (
      await storage.rooms.createRoom({
        title: 'queue',
        ownerKeyHash: 'x',
        initialState: encodeSeededRoom('queue'),
      })
    ).roomId
  })
  afterAll(async () => {
    await sql?.end()
    await storage?.close()
    await database?.drop()
  })

  it('runs a pro request before a fresh free one, but a free one that waited long enough first', async () => {
    const jobs = store(10)
    const proUser = randomUUID()
    await jobs.setPlan(proUser, 'pro')
    // Free (priority 30) queued 50 s ago scores 25; pro (priority 10) just now scores 10.
    const free = await enqueue(jobs, `anon:${roomId}:10.0.0.1`)
    await backdate(free, 50)
    const pro = await enqueue(jobs, `user:${proUser}`, proUser)
    expect([...(await jobs.positions()).keys()]).toEqual([pro, free])
    expect((await jobs.claim('instance-a'))?.job.id).toBe(pro)
    expect((await jobs.claim('instance-a'))?.job.id).toBe(free)

    // The same free request after 250 s of waiting scores 5: ahead of a new pro request.
    const patient = await enqueue(jobs, `anon:${roomId}:10.0.0.2`)
    await backdate(patient, 250)
    const latePro = await enqueue(jobs, `user:${randomUUID()}`, proUser)
    expect([...(await jobs.positions()).keys()]).toEqual([patient, latePro])
    expect((await jobs.claim('instance-a'))?.job.id).toBe(patient)
    expect((await jobs.claim('instance-a'))?.job.id).toBe(latePro)
  })

  it('never gives one job to two instances claiming at the same time', async () => {
    const jobs = store()
    const queued = new Set<string>()
    for (let index = 0; index < 40; index++) queued.add(await enqueue(jobs, `anon:${roomId}:10.1.0.${index}`))
    // Eight "instances", each with its own store, claim in parallel until the queue is empty.
    const claimedBy = new Map<string, string[]>()
    await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const instance = `instance-${index}`
        const own = store()
        for (;;) {
          const claimed = await own.claim(instance)
          if (!claimed) return
          claimedBy.set(claimed.job.id, [...(claimedBy.get(claimed.job.id) ?? []), instance])
        }
      }),
    )
    expect(new Set(claimedBy.keys())).toEqual(queued)
    for (const [jobId, instances] of claimedBy) expect(instances, jobId).toHaveLength(1)
    expect(new Set([...claimedBy.values()].flat()).size).toBeGreaterThan(1)
  })

  it('hands a job whose lease lapsed to exactly one other instance, and only the holder records the outcome', async () => {
    const jobs = store(10, 300)
    const jobId = await enqueue(jobs, `anon:${roomId}:10.2.0.1`)
    expect((await jobs.claim('dead-instance'))?.job.id).toBe(jobId)
    expect(await jobs.claim('instance-b')).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 400))
    const [b, c] = await Promise.all([jobs.claim('instance-b'), jobs.claim('instance-c')])
    const winners = [b, c].filter((claim) => claim?.job.id === jobId)
    expect(winners).toHaveLength(1)
    expect(winners[0]!.job.attempts).toBe(2)
    const winner = b?.job.id === jobId ? 'instance-b' : 'instance-c'
    const result = { created: [], replaced: [], reply: 'done' }
    const outcome = { result, shapes: 0, usedModel: false }
    expect(await jobs.succeed(jobId, 'dead-instance', outcome)).toBe(false)
    expect(await jobs.succeed(jobId, winner, outcome)).toBe(true)
    expect((await jobs.get(jobId))?.status).toBe('succeeded')
  })
})
