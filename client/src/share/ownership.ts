/**
 * Who may manage a board from this page: the device that created it keeps its owner key; a
 * signed-in owner elsewhere is told so by the server when the link resolves (`owner: true`), and
 * then manages it with an empty key (the account's token authorises it). Anyone else gets
 * `undefined` — and the client never calls the owner-only routes for them.
 */
import type { LinkInfo } from '../offline/deviceStore'
import { deviceStore } from '../offline/deviceStore'

export function ownerKeyFor(info: LinkInfo): string | undefined {
  const kept = deviceStore.owned(info.roomId)
  if (kept) return kept.ownerKey
  return info.owner ? '' : undefined
}
