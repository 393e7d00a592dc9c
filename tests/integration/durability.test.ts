/**
 * No acknowledged edit is lost when the server is SIGKILLed: big edits (20 × 64 KiB, 1 MiB, 3 MiB)
 * sent by a stock y-websocket client are all found by a server restarted on the same DATA_DIR,
 * although the kill comes 500 ms after the server received the last one — on PGlite (whose write
 * of such a batch takes longer than that) and on Postgres.
 */

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { readRecords } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addBigEdit } from './support/bigRecords'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { spawnServer } from './support/servers'

/** The scenario of the report: the server dies this long after it received the last edit. */
const KILL_AFTER_LAST_EDIT_MS = 500

describe.each(BACKENDS)('durability on %s', (backend) => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase(backend)
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('keeps every edit the server received when it is SIGKILLed 500 ms later', async () => {
    const server = await spawnServer(database, { PERSIST_WINDOW_MS: '100' })
    const room = await createRoom(server.url)
    const editor = await connectSynced(server.url, room.links.edit.id)
    const observer = await connectSynced(server.url, room.links.view.id)

    const sent: string[] = []
    for (let edit = 0; edit < 20; edit++) sent.push(...addBigEdit(editor.doc, 64, `small${edit}`))
    sent.push(...addBigEdit(editor.doc, 1024, 'one-mib'))
    sent.push(...addBigEdit(editor.doc, 3 * 1024, 'three-mib'))
    // The observer holds every edit once the server has received (and relayed) the last one.
    await waitFor(
      () => sent.every((id) => readRecords(observer.doc).has(id)),
      'the server relays every edit',
      60_000,
    )
    // Nobody may hand the edits to the restarted server again: only what was stored counts.
    destroyAll([editor, observer])
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_LAST_EDIT_MS))
    server.child.kill('SIGKILL')
    await server.exited
    if (backend === 'pglite') {
      // The killed server's PGlite host finishes what it was given and exits by itself.
      const hosts = join(database.env.DATA_DIR, 'pglite.hosts')
      await waitFor(async () => (await readdir(hosts)).length === 0, 'the PGlite host exits', 120_000)
    }

    const restarted = await spawnServer(database)
    try {
      const reader = await connectSynced(restarted.url, room.links.view.id)
      const missing = sent.filter((id) => !readRecords(reader.doc).has(id))
      destroyAll([reader])
      expect(missing).toEqual([])
    } finally {
      restarted.child.kill('SIGTERM')
      await restarted.exited
    }
  }, 240_000) // two PGlite opens (the first an initdb) and 5 MB of writes on a busy machine
})
