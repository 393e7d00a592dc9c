/**
 * Row-level security on the machine's Postgres, as Supabase's REST API would run queries: as the
 * `authenticated` role with the user's JWT claims (or as `anon`). Another user's rows are
 * invisible and unwritable.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { startTestServer } from './support/servers'

describe('row-level security', () => {
  let database: TestDatabase
  let sql: postgres.Sql
  const alice = randomUUID()
  const bob = randomUUID()
  const aliceRoom = randomUUID()
  const bobRoom = randomUUID()

  /** Runs `query` the way PostgREST does for a request carrying `sub`'s JWT (anon without one). */
  const as = <T>(sub: string | null, query: (tx: postgres.TransactionSql) => Promise<T>) =>
    sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${sub ? 'authenticated' : 'anon'}`)
      if (sub)
        await tx.unsafe(`select set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({ sub, role: 'authenticated' }),
        ])
      return query(tx)
    })

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    const server = await startTestServer(database) // applies the migrations
    await server.stop()
    sql = postgres(database.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    for (const [room, owner] of [
      [aliceRoom, alice],
      [bobRoom, bob],
    ] as const) {
      await sql`insert into rooms (id, title, owner_key_hash, owner_id) values (${room}, ${`room of ${owner}`}, 'x', ${owner})`
      await sql`insert into room_links (id, room_id, role) values (${randomUUID().replaceAll('-', '')}, ${room}, 'editor')`
      await sql`insert into doc_updates (room_id, update) values (${room}, ${Buffer.from([0, 0])})`
    }
  })
  afterAll(async () => {
    await sql?.end()
    await database?.drop()
  })

  it('shows a user only their own rooms, links and updates', async () => {
    const seen = await as(alice, async (tx) => ({
      rooms: (await tx`select id from rooms`).map((row) => row.id),
      links: (await tx`select room_id from room_links`).map((row) => row.room_id),
      updates: (await tx`select room_id from doc_updates`).map((row) => row.room_id),
    }))
    expect(seen).toEqual({ rooms: [aliceRoom], links: [aliceRoom], updates: [aliceRoom] })
  })

  it('lets a member read the room but not its links', async () => {
    await sql`insert into room_members (id, room_id, user_id, email, role) values (${randomUUID()}, ${aliceRoom}, ${bob}, 'bob@example.com', 'viewer')`
    const seen = await as(bob, async (tx) => ({
      rooms: (await tx`select id from rooms order by id`).map((row) => row.id).sort(),
      links: (await tx`select room_id from room_links`).map((row) => row.room_id),
    }))
    expect(seen.rooms).toEqual([aliceRoom, bobRoom].sort())
    expect(seen.links).toEqual([bobRoom])
    await sql`delete from room_members where room_id = ${aliceRoom}`
  })

  it("refuses writes to another user's rows", async () => {
    const updated = await as(
      bob,
      (tx) => tx`update rooms set title = 'pwned' where id = ${aliceRoom} returning id`,
    )
    expect(updated).toHaveLength(0)
    const deleted = await as(
      bob,
      (tx) => tx`delete from doc_updates where room_id = ${aliceRoom} returning id`,
    )
    expect(deleted).toHaveLength(0)
    await expect(
      as(
        bob,
        (tx) => tx`insert into doc_updates (room_id, update) values (${aliceRoom}, ${Buffer.from([0, 0])})`,
      ),
    ).rejects.toThrow(/row-level security/)
    const [title] = await sql`select title from rooms where id = ${aliceRoom}`
    expect(title?.title).toBe(`room of ${alice}`)
  })

  it('shows anonymous callers nothing at all', async () => {
    const seen = await as(null, async (tx) => ({
      rooms: (await tx`select id from rooms`).length,
      links: (await tx`select id from room_links`).length,
      updates: (await tx`select id from doc_updates`).length,
      versions: (await tx`select id from doc_versions`).length,
    }))
    expect(seen).toEqual({ rooms: 0, links: 0, updates: 0, versions: 0 })
  })
})
