/**
 * An empty environment variable means "not set": `.env` templates and compose files write
 * `OPENAI_API_KEY=`, and the server must start on its defaults rather than refuse a value of "".
 * Every variable of the configuration schema is set to the empty string (so variables added later
 * are covered), except where the test must say where to listen and which database to use.
 */
import { EnvSchema } from '@drawbridge/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRoom } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { type ServerProcess, spawnServer } from './support/servers'

describe('a server whose optional variables are all empty', () => {
  let database: TestDatabase
  let server: ServerProcess

  beforeAll(async () => {
    database = await createTestDatabase('pglite')
    const empty = Object.fromEntries(Object.keys(EnvSchema.shape).map((name) => [name, '']))
    server = await spawnServer(database, {
      ...empty,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: database.env.DATA_DIR,
    })
  })

  afterAll(async () => {
    server?.child.kill('SIGTERM')
    await server?.exited
    await database?.drop()
  })

  it('starts on its defaults and serves boards', async () => {
    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(200)
    const room = await createRoom(server.url)
    const info = await fetch(`${server.url}/api/links/${room.links.edit.id}`)
    expect(info.status).toBe(200)
    expect(((await info.json()) as { role: string }).role).toBe('editor')
  })
})
