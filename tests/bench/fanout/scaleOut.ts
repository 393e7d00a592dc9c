/**
 * The fan-out load against two of our instances sharing one Postgres and one Redis: every room's
 * clients are spread over both, so every update crosses Redis to reach half of its receivers.
 */
import { createRoom } from '../../integration/support/clients'
import { createTestDatabase } from '../../integration/support/databases'
import { freshRedisPrefix, TEST_REDIS_URL } from '../../integration/support/redis'
import { inBatches } from '../lib/measure'
import { startOurs } from '../lib/servers'
import { type FanoutOptions, type FanoutResult, measure, roomCount } from './fanout'

export async function benchFanoutTwoInstances(options: FanoutOptions): Promise<FanoutResult> {
  const database = await createTestDatabase('postgres')
  const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: freshRedisPrefix() }
  const servers = [await startOurs(database, env), await startOurs(database, env)]
  try {
    const created = await inBatches(
      Array.from({ length: roomCount(options) }, (_, i) => i),
      10,
      (i) => createRoom(servers[0]!.url, `scale-out ${i}`),
    )
    return await measure(
      servers,
      created.map((room) => room.links.edit.id),
      false,
      options,
    )
  } finally {
    for (const server of servers) await server.stop()
    await database.drop()
  }
}
