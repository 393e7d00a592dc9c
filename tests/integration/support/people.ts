/**
 * Signed-in people for tests: Supabase-style HS256 JWTs for a server started with `AUTH_ENV`, and
 * a stock y-websocket provider that connects with one.
 */
import { randomUUID } from 'node:crypto'
import { CreateRoomReply } from '@drawbridge/shared'
import { SignJWT } from 'jose'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const SECRET = 'test-jwt-secret-of-at-least-32-characters'
/** Server settings that make it verify the tokens `signIn` makes. */
export const AUTH_ENV = { SUPABASE_JWT_SECRET: SECRET, SUPABASE_URL: 'https://project.supabase.co' }

export interface Person {
  id: string
  email: string
  jwt: string
}

/** A new person with a fresh id and email, signed in for an hour. */
export async function signIn(name: string): Promise<Person> {
  const id = randomUUID()
  const email = `${name}-${id.slice(0, 8)}@example.com`
  const jwt = await new SignJWT({ sub: id, email, role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setAudience('authenticated')
    .setIssuer('https://project.supabase.co/auth/v1')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET))
  return { id, email, jwt }
}

/** Calls the API as `person` (anonymous when undefined). */
export function apiAs(
  baseUrl: string,
  person: Person | undefined,
  path: string,
  method = 'GET',
  body?: unknown,
) {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(person ? { authorization: `Bearer ${person.jwt}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** A stock provider connecting as `person`. */
export function connectAs(baseUrl: string, linkId: string, person: Person): WebsocketProvider {
  return new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/yjs`, linkId, new Y.Doc(), {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
    params: { token: person.jwt },
  })
}

/** A private board owned by `owner`, with its links. */
export async function createPrivateRoom(baseUrl: string, owner: Person) {
  const created = await apiAs(baseUrl, owner, '/api/rooms', 'POST', { title: 'Private board', private: true })
  if (created.status !== 201) throw new Error(`POST /api/rooms → ${created.status}: ${await created.text()}`)
  return CreateRoomReply.parse(await created.json())
}
