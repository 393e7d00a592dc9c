/**
 * Sockets that stop reading while the board broadcasts big frames: one past MAX_BUFFERED_BYTES is
 * closed (4001) and its socket — with everything queued for it — goes at once, not after ws's 30 s
 * close timeout; and several that each stay under that bound are dropped, biggest first, once
 * together they pass MAX_TOTAL_BUFFERED_BYTES. Readers that keep up never notice.
 */
import type { RunningServer } from '@drawbridge/server'
import { CloseCode } from '@drawbridge/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { connectSynced, createRoom, destroyAll, waitFor } from './support/clients'
import { BACKENDS, createTestDatabase, type TestDatabase } from './support/databases'
import { readMetric } from './support/metrics'
import { RawPeer } from './support/rawPeer'
import { startTestServer } from './support/servers'

const MiB = 1024 * 1024
const BLOB = 'x'.repeat(256 * 1024)
/** More than this broadcast to a socket that never reads, and the bounds did not hold. */
const BROADCAST_BUDGET_BYTES = 64 * MiB

async function slowConsumerCloses(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  const match = text.match(/^drawbridge_connections_closed_total\{code="4001"\} (\d+)/m)
  return match ? Number(match[1]) : 0
}

/**
 * Broadcasts 256 KiB presence states from `writer`, each waited for at `observer` (a reader that
 * keeps up), until `done` holds; fails past the budget. Returns the bytes broadcast.
 */
async function broadcastUntil(
  writer: WebsocketProvider,
  observer: WebsocketProvider,
  done: () => Promise<boolean>,
): Promise<number> {
  let sent = 0
  for (let i = 0; !(await done()); i++) {
    if (sent > BROADCAST_BUDGET_BYTES) throw new Error(`still not done after ${sent / MiB} MiB`)
    const value = `${BLOB}${i}`
    writer.awareness.setLocalStateField('blob', value)
    sent += value.length
    await waitFor(
      () => observer.awareness.getStates().get(writer.awareness.clientID)?.blob === value,
      'the observer keeps up',
    )
  }
  return sent
}

describe.each(BACKENDS)('slow readers (%s)', (backend) => {
  let database: TestDatabase
  const servers: RunningServer[] = []
  beforeAll(async () => {
    database = await createTestDatabase(backend)
  })
  afterAll(async () => {
    for (const server of servers) await server.stop()
    await database?.drop()
  })

  it('closes a socket that never reads once its backlog passes MAX_BUFFERED_BYTES, freeing it at once', async () => {
    const server = await startTestServer(database, { MAX_BUFFERED_BYTES: String(MiB) })
    servers.push(server)
    const room = await createRoom(server.url)
    const writer = await connectSynced(server.url, room.links.edit.id)
    const observer = await connectSynced(server.url, room.links.view.id)
    const slow = await RawPeer.open(server.url, room.links.view.id)
    await slow.roundTrip()
    slow.stopReading()
    await broadcastUntil(writer, observer, async () => (await slowConsumerCloses(server.url)) >= 1)
    // The socket and its backlog go (ws alone would hold both for its 30 s close timeout).
    await waitFor(async () => (await readMetric(server.url, 'drawbridge_connections')) === 2, 'socket gone')
    slow.resumeReading()
    expect([CloseCode.SlowConsumer, 1006]).toContain(await slow.closed)
    expect(writer.wsconnected && observer.wsconnected).toBe(true)
    slow.destroy()
    destroyAll([writer, observer])
  })

  it('drops the biggest backlogs once slow readers together hold more than MAX_TOTAL_BUFFERED_BYTES', async () => {
    const server = await startTestServer(database, {
      MAX_BUFFERED_BYTES: String(256 * MiB),
      MAX_TOTAL_BUFFERED_BYTES: String(2 * MiB),
    })
    servers.push(server)
    const room = await createRoom(server.url)
    const writer = await connectSynced(server.url, room.links.edit.id)
    const observer = await connectSynced(server.url, room.links.view.id)
    const slow = await Promise.all([1, 2, 3].map(() => RawPeer.open(server.url, room.links.view.id)))
    for (const peer of slow) {
      await peer.roundTrip()
      peer.stopReading()
    }
    await broadcastUntil(writer, observer, async () => (await slowConsumerCloses(server.url)) >= 3)
    await waitFor(async () => (await readMetric(server.url, 'drawbridge_connections')) === 2, 'sockets gone')
    for (const peer of slow) {
      peer.resumeReading()
      expect([CloseCode.SlowConsumer, 1006]).toContain(await peer.closed)
      peer.destroy()
    }
    expect(writer.wsconnected && observer.wsconnected).toBe(true)
    destroyAll([writer, observer])
  })
})
