/** What a board's owner can do, over the API, with the owner key this device keeps (and the account). */
import { authHeaders } from '../account/session'

export interface AdminLink {
  id: string
  url: string
  role: 'editor' | 'viewer'
  createdAt: string
  expiresAt: string | null
  revokedAt: string | null
}

export interface RoomAdmin {
  roomId: string
  title: string
  private: boolean
  links: AdminLink[]
}

async function call<T>(ownerKey: string, path: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-owner-key': ownerKey, ...authHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as { error?: string }
    throw new Error(error.error ?? `The server answered ${response.status}.`)
  }
  return (response.status === 204 ? undefined : await response.json()) as T
}

export const ownerApi = {
  room: (key: string, roomId: string) => call<RoomAdmin>(key, `/api/rooms/${roomId}`, 'GET'),
  rename: (key: string, roomId: string, title: string) =>
    call(key, `/api/rooms/${roomId}`, 'PATCH', { title }),
  deleteRoom: (key: string, roomId: string) => call(key, `/api/rooms/${roomId}`, 'DELETE'),
  rotate: (key: string, roomId: string, linkId: string) =>
    call<AdminLink>(key, `/api/rooms/${roomId}/links/${linkId}/rotate`, 'POST'),
  revoke: (key: string, roomId: string, linkId: string) =>
    call(key, `/api/rooms/${roomId}/links/${linkId}`, 'DELETE'),
  update: (
    key: string,
    roomId: string,
    linkId: string,
    change: { role?: AdminLink['role']; expiresAt?: string | null },
  ) => call<AdminLink>(key, `/api/rooms/${roomId}/links/${linkId}`, 'PATCH', change),
}
