/**
 * The Share dialog. Everyone with an edit link can copy it; the board's owner (this device holds
 * its owner key) sees every link and can rotate, revoke, set an expiry, change a link's role,
 * rename the board and delete it. Changes reach live connections at once (the server closes or
 * downgrades them).
 */
import { useCallback, useEffect, useState } from 'react'
import { navigate } from '../app/router'
import { deviceStore, type LinkInfo, type OwnedRoom } from '../offline/deviceStore'
import { CopyRow } from './CopyRow'
import { MembersSection } from './MembersSection'
import { type AdminLink, ownerApi, type RoomAdmin } from './ownerApi'

const EXPIRY_CHOICES: Array<[label: string, ms: number | null]> = [
  ['Never expires', null],
  ['Expires in 1 hour', 3_600_000],
  ['Expires in 1 day', 86_400_000],
  ['Expires in 7 days', 604_800_000],
]

function LinkControls(props: {
  link: AdminLink
  owned: OwnedRoom
  onChanged: (rotated?: AdminLink) => void
}) {
  const { link, owned } = props
  const act = (action: () => Promise<unknown>) => action().then(() => props.onChanged(), props.onChanged)
  const label = link.role === 'editor' ? 'Can edit' : 'View only'
  return (
    <div className="link-controls" data-testid={`link-${link.role}`}>
      <CopyRow label={label} url={`${window.location.origin}/r/${link.id}`} />
      <div className="row">
        <button
          type="button"
          onClick={async () => props.onChanged(await ownerApi.rotate(owned.ownerKey, owned.roomId, link.id))}
        >
          Rotate
        </button>
        <button
          type="button"
          onClick={() => act(() => ownerApi.revoke(owned.ownerKey, owned.roomId, link.id))}
        >
          Revoke
        </button>
        <select
          aria-label={`${label} link expiry`}
          value=""
          onChange={(event) => {
            const ms = EXPIRY_CHOICES[Number(event.currentTarget.value)]?.[1] ?? null
            void act(() =>
              ownerApi.update(owned.ownerKey, owned.roomId, link.id, {
                expiresAt: ms === null ? null : new Date(Date.now() + ms).toISOString(),
              }),
            )
          }}
        >
          <option value="" disabled>
            {link.expiresAt ? `Expires ${new Date(link.expiresAt).toLocaleString()}` : 'Never expires'}
          </option>
          {EXPIRY_CHOICES.map(([text], index) => (
            <option key={text} value={index}>
              {text}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

function OwnerControls({ info, owned }: { info: LinkInfo; owned: OwnedRoom }) {
  const [admin, setAdmin] = useState<RoomAdmin>()
  const [error, setError] = useState<string>()
  const [title, setTitle] = useState(info.title)
  const refresh = useCallback(
    () =>
      ownerApi.room(owned.ownerKey, owned.roomId).then(setAdmin, (caught: Error) => setError(caught.message)),
    [owned],
  )
  useEffect(() => {
    void refresh()
  }, [refresh])

  const onChanged = (rotated?: AdminLink) => {
    if (rotated) {
      const old = rotated.role === 'editor' ? owned.links.edit : owned.links.view
      const links = {
        ...owned.links,
        [rotated.role === 'editor' ? 'edit' : 'view']: { id: rotated.id, url: rotated.url },
      }
      if (owned.ownerKey) deviceStore.rememberOwned({ ...owned, links })
      // The link this page was opened with no longer works: carry on through the new one.
      if (old.id === info.linkId) return navigate(`/r/${rotated.id}`)
    }
    void refresh()
  }

  if (error) return <p className="error">{error}</p>
  if (!admin) return <p>Loading…</p>
  return (
    <>
      {admin.links
        .filter((link) => !link.revokedAt)
        .map((link) => (
          <LinkControls key={link.id} link={link} owned={owned} onChanged={onChanged} />
        ))}
      <div className="row">
        <input
          aria-label="Board name"
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
        />
        <button
          type="button"
          onClick={() => ownerApi.rename(owned.ownerKey, owned.roomId, title).then(() => refresh())}
        >
          Rename
        </button>
      </div>
      <MembersSection owned={owned} isPrivate={admin.private} onChanged={() => void refresh()} />
      <button
        type="button"
        className="danger"
        onClick={async () => {
          if (!window.confirm('Delete this board for everyone? This cannot be undone.')) return
          await ownerApi.deleteRoom(owned.ownerKey, owned.roomId)
          deviceStore.forgetLink(info.linkId)
          navigate('/')
        }}
      >
        Delete board
      </button>
    </>
  )
}

/**
 * The owner credentials for this board: the owner key kept on this device, or — on another device —
 * the signed-in account, if the server confirms it owns the board.
 */
function useOwnership(info: LinkInfo, open: boolean): OwnedRoom | undefined {
  const kept = deviceStore.owned(info.roomId)
  const [byAccount, setByAccount] = useState<OwnedRoom>()
  useEffect(() => {
    if (kept || !open) return
    void ownerApi.room('', info.roomId).then(
      (admin) => {
        const find = (role: AdminLink['role']) =>
          admin.links.find((link) => link.role === role && !link.revokedAt)
        const edit = find('editor')
        const view = find('viewer')
        if (edit && view) setByAccount({ roomId: info.roomId, ownerKey: '', links: { edit, view } })
      },
      () => undefined, // not the owner: the dialog shows the current link only
    )
  }, [kept, open, info.roomId])
  return kept ?? byAccount
}

export function ShareDialog({ info }: { info: LinkInfo }) {
  const [open, setOpen] = useState(false)
  const owned = useOwnership(info, open)
  return (
    <div className="share-links">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Share
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Share this board">
          {owned ? (
            <OwnerControls info={info} owned={owned} />
          ) : (
            <>
              <CopyRow label="Can edit" url={`${window.location.origin}/r/${info.linkId}`} />
              <p>Only the board's owner can see and manage its other links.</p>
            </>
          )}
        </div>
      )}
    </div>
  )
}
