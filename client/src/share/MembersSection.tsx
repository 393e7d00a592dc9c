/**
 * Private boards, in the owner's Share dialog: make the board members-only, invite people by
 * email with a role, remove them (they are disconnected at once). Needs a board owned by an account;
 * shown only when the server has accounts (Supabase) configured.
 */
import { useCallback, useEffect, useState } from 'react'
import { TldrawUiButton, TldrawUiButtonLabel } from 'tldraw'
import { authHeaders } from '../account/session'
import type { OwnedRoom } from '../offline/deviceStore'

interface Member {
  id: string
  email: string
  role: 'owner' | 'editor' | 'viewer'
  userId: string | null
}

export function MembersSection(props: { owned: OwnedRoom; isPrivate: boolean; onChanged: () => void }) {
  const { owned } = props
  const headers = { 'content-type': 'application/json', 'x-owner-key': owned.ownerKey, ...authHeaders() }
  const [members, setMembers] = useState<Member[]>([])
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<'editor' | 'viewer'>('editor')
  const [error, setError] = useState<string>()
  const base = `/api/rooms/${owned.roomId}`

  const request = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error)
    return response.status === 204 ? undefined : response.json()
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: headers are rebuilt each render from stable values
  const refresh = useCallback(
    () =>
      request('/members', 'GET').then(
        (body) => setMembers((body as { members: Member[] }).members),
        () => undefined,
      ),
    [owned.roomId],
  )
  useEffect(() => {
    void refresh()
  }, [refresh])
  const run = (action: () => Promise<unknown>) =>
    action().then(
      () => {
        setError(undefined)
        void refresh()
        props.onChanged()
      },
      (caught: Error) => setError(caught.message),
    )

  return (
    <div className="members">
      <label>
        <input
          type="checkbox"
          checked={props.isPrivate}
          onChange={(event) => run(() => request('', 'PATCH', { private: event.currentTarget.checked }))}
        />{' '}
        Private: only members can open it
      </label>
      <ul className="board-list">
        {members.map((member) => (
          <li key={member.id}>
            <span>
              {member.email} · {member.role}
            </span>
            <TldrawUiButton type="low" onClick={() => run(() => request(`/members/${member.id}`, 'DELETE'))}>
              <TldrawUiButtonLabel>Remove</TldrawUiButtonLabel>
            </TldrawUiButton>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          void run(() => request('/members', 'POST', { email, role }).then(() => setEmail('')))
        }}
      >
        <input
          className="field"
          aria-label="Email to invite"
          type="email"
          required
          placeholder="name@example.com"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <select
          className="field"
          aria-label="Role of the invited person"
          value={role}
          onChange={(event) => setRole(event.currentTarget.value as 'editor' | 'viewer')}
        >
          <option value="editor">can edit</option>
          <option value="viewer">can view</option>
        </select>
        <TldrawUiButton type="normal" htmlButtonType="submit">
          <TldrawUiButtonLabel>Invite</TldrawUiButtonLabel>
        </TldrawUiButton>
      </form>
      {error && <p className="error">{error}</p>}
    </div>
  )
}
