/**
 * Private boards, in the owner's Share dialog: make the board members-only, invite people by
 * email with a role, remove them (they are disconnected at once). Needs a board owned by an account;
 * shown only when the server has accounts (Supabase) configured.
 */
import type { Member, Role } from '@drawbridge/shared'
import { useCallback, useEffect, useState } from 'react'
import { TldrawUiButton, TldrawUiButtonLabel } from 'tldraw'
import type { OwnedRoom } from '../offline/deviceStore'
import { ownerApi } from './ownerApi'

export function MembersSection(props: { owned: OwnedRoom; isPrivate: boolean; onChanged: () => void }) {
  const { ownerKey, roomId } = props.owned
  const [members, setMembers] = useState<Member[]>([])
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [error, setError] = useState<string>()

  const refresh = useCallback(
    () => ownerApi.members(ownerKey, roomId).then(setMembers, () => undefined),
    [ownerKey, roomId],
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
          onChange={(event) => run(() => ownerApi.setPrivate(ownerKey, roomId, event.currentTarget.checked))}
        />{' '}
        Private: only members can open it
      </label>
      <ul className="board-list">
        {members.map((member) => (
          <li key={member.id}>
            <span>
              {member.email} · {member.role}
            </span>
            <TldrawUiButton
              type="low"
              onClick={() => run(() => ownerApi.removeMember(ownerKey, roomId, member.id))}
            >
              <TldrawUiButtonLabel>Remove</TldrawUiButtonLabel>
            </TldrawUiButton>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          void run(() => ownerApi.invite(ownerKey, roomId, { email, role }).then(() => setEmail('')))
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
          onChange={(event) => setRole(event.currentTarget.value as Role)}
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
