/**
 * Version history on real Postgres: automatic versions with who was active, named versions,
 * read-only preview, and restore as a new change that every peer — even one that was offline —
 * converges on, and that can itself be undone by restoring the version saved before it.
 */

import type { RunningServer } from '@drawbridge/server'
import { openRecords, readRecords, type TLShape } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, createRoom, destroyAll, synced, waitFor } from './support/clients'
import { createTestDatabase, type TestDatabase } from './support/databases'
import { addRectangles, recordsOf } from './support/records'
import { startTestServer } from './support/servers'

interface Version {
  id: string
  name: string | null
  kind: 'auto' | 'named'
  at: string
  actors: string[]
}

describe('version history', () => {
  let database: TestDatabase
  let server: RunningServer
  const api = (path: string, init?: RequestInit) =>
    fetch(`${server.url}${path}`, { ...init, headers: { 'content-type': 'application/json' } })
  const versionsOf = async (linkId: string) =>
    ((await (await api(`/api/links/${linkId}/versions`)).json()) as { versions: Version[] }).versions

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    server = await startTestServer(database, { VERSION_INTERVAL_MS: '200', VERSION_KEEP_AUTO: '3' })
  })
  afterAll(async () => {
    await server?.stop()
    await database?.drop()
  })

  it('records automatic versions of an active room, naming who was there, and prunes old ones', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    editor.awareness.setLocalStateField('user', { name: 'Ada' })
    for (let round = 0; round < 6; round++) {
      addRectangles(editor.doc, 1)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    await waitFor(async () => (await versionsOf(room.links.view.id)).length >= 2, 'automatic versions')
    const versions = await versionsOf(room.links.view.id)
    expect(versions.every((version) => version.kind === 'auto')).toBe(true)
    expect(versions[0]!.actors).toEqual(['Ada'])
    expect(versions.length).toBeLessThanOrEqual(3)
    expect(Date.parse(versions[0]!.at)).toBeGreaterThanOrEqual(Date.parse(versions.at(-1)!.at))
    destroyAll([editor])
  })

  it('saves named versions for editors only and previews them read-only', async () => {
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const ids = addRectangles(editor.doc, 2)
    await waitFor(() => editor.synced, 'synced')
    const saved = await api(`/api/links/${room.links.edit.id}/versions`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Before the workshop' }),
    })
    expect(saved.status).toBe(201)
    const version = (await saved.json()) as Version
    expect(version).toMatchObject({ name: 'Before the workshop' })
    expect(Number.isNaN(Date.parse(version.at))).toBe(false)

    const asViewer = await api(`/api/links/${room.links.view.id}/versions`, {
      method: 'POST',
      body: JSON.stringify({ name: 'nope' }),
    })
    expect(asViewer.status).toBe(403)
    expect(
      (await api(`/api/links/${room.links.edit.id}/versions`, { method: 'POST', body: '{}' })).status,
    ).toBe(400)

    const preview = (await (await api(`/api/links/${room.links.view.id}/versions/${version.id}`)).json()) as {
      records: Array<{ id: string }>
    }
    expect(preview.records.map((record) => record.id)).toEqual(expect.arrayContaining(ids))
    expect((await api(`/api/links/${room.links.view.id}/versions/${crypto.randomUUID()}`)).status).toBe(404)
    destroyAll([editor])
  })

  it('restores a version as a change everyone converges on, offline peers included, and undoes it', async () => {
    const room = await createRoom(server.url)
    const alice = await connectSynced(server.url, room.links.edit.id)
    const bob = await connectSynced(server.url, room.links.edit.id)
    const [keep, removeLater] = addRectangles(alice.doc, 2, 'original')
    await waitFor(() => readRecords(bob.doc).has(removeLater!), 'bob has the originals')
    const saved = (await (
      await api(`/api/links/${room.links.edit.id}/versions`, {
        method: 'POST',
        body: JSON.stringify({ name: 'v1' }),
      })
    ).json()) as Version
    const atV1 = recordsOf(alice.doc)

    bob.disconnect() // offline while the board changes and is restored
    openRecords(alice.doc).delete(removeLater!)
    const [added] = addRectangles(alice.doc, 1, 'added after v1')
    const moved = openRecords(alice.doc).get(keep!) as TLShape
    openRecords(alice.doc).set(keep!, { ...moved, x: moved.x + 500 })
    await waitFor(async () => (await versionsOf(room.links.view.id)).length >= 1, 'version list')
    const edited = recordsOf(alice.doc)

    const restored = await api(`/api/links/${room.links.edit.id}/versions/${saved.id}/restore`, {
      method: 'POST',
      body: JSON.stringify({ by: 'Alice' }),
    })
    expect(restored.status).toBe(200)
    await waitFor(() => JSON.stringify(recordsOf(alice.doc)) === JSON.stringify(atV1), 'alice sees v1 again')
    expect(readRecords(alice.doc).has(added!)).toBe(false)

    bob.connect()
    await synced(bob)
    await waitFor(() => JSON.stringify(recordsOf(bob.doc)) === JSON.stringify(atV1), 'bob converges on v1')

    const before = (await versionsOf(room.links.view.id)).find((version) => version.name === 'Before restore')
    expect(before?.actors).toEqual(['Alice'])
    await api(`/api/links/${room.links.edit.id}/versions/${before!.id}/restore`, {
      method: 'POST',
      body: '{}',
    })
    await waitFor(
      () => JSON.stringify(recordsOf(bob.doc)) === JSON.stringify(edited),
      'the restore is undone',
    )
    destroyAll([alice, bob])
  })
})
