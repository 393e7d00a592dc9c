/**
 * Named versions as an attacker would save them: in a tight loop on one board (429 + Retry-After
 * past the board's rate), across boards from one address (429 past the address's rate), and on a
 * board whose saved versions fill its quota (507, saying how full). Nothing past a limit is stored;
 * a restore still works on a full board (its "Before restore" is kept as an automatic version).
 */

import type { RunningServer } from '@drawbridge/server'
import { readRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { addRectangles } from './support/records'
import { startTestServer } from './support/servers'

const QUOTA_BYTES = 100 * 1024

interface Version {
  id: string
  name: string | null
  kind: 'auto' | 'named'
}

describe.each(BACKENDS)('named versions are rate-limited and within a quota (%s)', (backend) => {
  let database: TestDatabase
  let server: RunningServer

  const save = (linkId: string, name: string) =>
    fetch(`${server.url}/api/links/${linkId}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    })
  const versionsOf = async (linkId: string) =>
    ((await (await fetch(`${server.url}/api/links/${linkId}/versions`)).json()) as { versions: Version[] })
      .versions

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await startTestServer(database, {
      NAMED_VERSIONS_PER_MINUTE: '3',
      NAMED_VERSIONS_PER_IP_PER_MINUTE: '5',
    })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('a loop of saves on one board, then on another from the same address, is refused with 429', async () => {
    const first = await createRoom(server.url)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await save(first.links.edit.id, `spam ${i}`)).status)
    expect(statuses.slice(0, 3)).toEqual([201, 201, 201])
    expect(statuses.slice(3).every((status) => status === 429)).toBe(true)
    const refused = await save(first.links.edit.id, 'one more')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^Too many versions saved (on this board|from your address): try again in \d+ s\.$/,
    )
    expect((await versionsOf(first.links.view.id)).filter((v) => v.kind === 'named')).toHaveLength(3)

    // A fresh board does not reset the address's allowance.
    const second = await createRoom(server.url)
    const other = await save(second.links.edit.id, 'elsewhere')
    expect(other.status).toBe(429)
    expect(((await other.json()) as { error: string }).error).toMatch(/from your address/)
    expect(await versionsOf(second.links.view.id)).toEqual([])
  })

  it('a board whose named versions fill its quota refuses the next with 507, and still restores', async () => {
    const quotaServer = await startTestServer(database, { ROOM_VERSION_QUOTA_BYTES: String(QUOTA_BYTES) })
    try {
      const room = await createRoom(quotaServer.url)
      const editor = await connectSynced(quotaServer.url, room.links.edit.id)
      const viewer = await connectSynced(quotaServer.url, room.links.view.id)
      const ids = addRectangles(editor.doc, 40, 'x'.repeat(600))
      // Two versions of this board fit in the quota, three do not.
      const stateBytes = Y.encodeStateAsUpdate(editor.doc).byteLength
      expect(stateBytes).toBeGreaterThan(QUOTA_BYTES / 3)
      expect(stateBytes).toBeLessThan(QUOTA_BYTES / 2)
      await waitFor(() => ids.every((id) => readRecords(viewer.doc).has(id)), 'the edit reached the server')
      const post = (name: string) =>
        fetch(`${quotaServer.url}/api/links/${room.links.edit.id}/versions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        })
      expect((await post('first')).status).toBe(201)
      expect((await post('second')).status).toBe(201)
      const full = await post('third')
      expect(full.status).toBe(507)
      expect(((await full.json()) as { error: string }).error).toMatch(
        /^This board's saved versions use \d+ KiB of its 100 KiB; this version \(\d+ KiB\) does not fit\./,
      )
      const list = async () =>
        (
          (await (await fetch(`${quotaServer.url}/api/links/${room.links.view.id}/versions`)).json()) as {
            versions: Version[]
          }
        ).versions
      const named = (await list()).filter((version) => version.kind === 'named')
      expect(named.map((version) => version.name)).toEqual(['second', 'first'])

      const restored = await fetch(
        `${quotaServer.url}/api/links/${room.links.edit.id}/versions/${named[1]!.id}/restore`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      )
      expect(restored.status).toBe(200)
      const after = await list()
      expect(after.filter((version) => version.kind === 'named')).toHaveLength(2)
      expect(after.some((version) => version.kind === 'auto' && version.name === 'Before restore')).toBe(true)
      destroyAll([editor, viewer])
    } finally {
      await quotaServer.stop()
    }
  })
})
