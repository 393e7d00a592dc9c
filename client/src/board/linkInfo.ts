/**
 * Resolving `/r/<linkId>`: ask the server which room and role the link grants, remember it on the
 * device, and fall back to what was remembered when the server cannot be reached (offline).
 * The reply is the shared `LinkInfoReply`.
 */
import { LinkInfoReply } from '@drawbridge/shared'
import { authHeaders, sessionReady } from '../account/session'
import { readErrorReply, readReply } from '../app/api'
import { deviceStore, type LinkInfo } from '../offline/deviceStore'

export type LinkState =
  | { status: 'loading' }
  | { status: 'ready'; info: LinkInfo; offline: boolean }
  | { status: 'invalid'; title: string; reason: string }
  | { status: 'error'; reason: string }

export async function resolveLink(linkId: string): Promise<LinkState> {
  try {
    await sessionReady()
    const response = await fetch(`/api/links/${encodeURIComponent(linkId)}`, { headers: authHeaders() })
    if (response.status === 401 || response.status === 403) {
      const body = await readErrorReply(response)
      return {
        status: 'invalid',
        title: 'This board is private',
        reason: body.error ?? 'Sign in as a member to open it.',
      }
    }
    if (response.status === 404 || response.status === 410) {
      deviceStore.forgetLink(linkId)
      const reason =
        response.status === 410 ? 'This link has expired.' : 'This link does not exist or is no longer valid.'
      return { status: 'invalid', title: 'Link no longer valid', reason }
    }
    const body = await readReply(response, LinkInfoReply)
    const info: LinkInfo = {
      linkId,
      roomId: body.roomId,
      role: body.role,
      title: body.title,
      owner: body.owner,
    }
    deviceStore.rememberLink(info)
    return { status: 'ready', info, offline: false }
  } catch (error) {
    const remembered = deviceStore.link(linkId)
    if (remembered) return { status: 'ready', info: remembered, offline: true }
    return { status: 'error', reason: error instanceof Error ? error.message : String(error) }
  }
}
