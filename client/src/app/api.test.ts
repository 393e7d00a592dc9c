/** Reading the API's answers: contracts checked, refusals in the server's words, statuses kept. */
import { CreateRoomReply, LinkInfoReply } from '@drawbridge/shared'
import { describe, expect, it } from 'vitest'
import { ApiRequestError, readReply, refusalOf } from './api'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('readReply', () => {
  it('returns a reply that is the contract', async () => {
    const room = {
      roomId: 'r',
      ownerKey: 'k',
      links: { edit: { id: 'e', url: '/r/e' }, view: { id: 'v', url: '/r/v' } },
    }
    expect(await readReply(json(201, room), CreateRoomReply)).toEqual(room)
  })

  it('refuses a reply that is not, naming the field', async () => {
    const reply = readReply(
      json(200, { roomId: 'r', role: 'owner', title: 't', private: false, owner: true }),
      LinkInfoReply,
    )
    await expect(reply).rejects.toThrow(/Unexpected answer from the server \(role: /)
  })

  it("throws a refusal with the server's words, its status and when to retry", async () => {
    const refused = await readReply(
      json(429, { error: 'Too many new boards.' }, { 'retry-after': '30' }),
      CreateRoomReply,
    ).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiRequestError)
    expect(refused).toMatchObject({ status: 429, message: 'Too many new boards.', retryAfterSeconds: 30 })
  })

  it('says the status when a refusal has no readable body', async () => {
    const error = await refusalOf(new Response('<html>Bad gateway</html>', { status: 502 }))
    expect(error).toMatchObject({ status: 502, message: 'The server answered 502.', limit: undefined })
  })
})
