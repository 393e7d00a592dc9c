/**
 * The Share dialog (a tldraw dialog: focus kept inside, Escape closes). Everyone with an edit link
 * can copy it; the board's owner (this device holds its owner key, or the signed-in account owns
 * it) sees every link and can rotate, revoke, set an expiry, rename the board and delete it —
 * and, when the server has accounts, make it private and invite people. Changes reach live
 * connections at once (the server closes or downgrades them).
 */
import type { RoomAdminReply, ShareLink } from '@drawbridge/shared'
import { useCallback, useEffect, useState } from 'react'
import {
  TldrawUiButton,
  TldrawUiButtonLabel,
  TldrawUiDialogBody,
  TldrawUiDialogCloseButton,
  TldrawUiDialogHeader,
  TldrawUiDialogTitle,
  TldrawUiInput,
  useToasts,
} from 'tldraw'
import type * as Y from 'yjs'
import { useAccount } from '../account/session'
import { navigate } from '../app/router'
import { useBoardTitle } from '../board/boardTitle'
import { deviceStore, type LinkInfo, type OwnedRoom } from '../offline/deviceStore'
import { CopyRow } from './CopyRow'
import { MembersSection } from './MembersSection'
import { ownerApi } from './ownerApi'
import { ownerKeyFor } from './ownership'

const EXPIRY_CHOICES: Array<[label: string, ms: number | null]> = [
  ['Never expires', null],
  ['Expires in 1 hour', 3_600_000],
  ['Expires in 1 day', 86_400_000],
  ['Expires in 7 days', 604_800_000],
]

function describeError(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught)
}

function LinkControls(props: {
  link: ShareLink
  owned: OwnedRoom
  onChanged: (rotated?: ShareLink) => void
}) {
  const { link, owned } = props
  const { addToast } = useToasts()
  const act = (action: () => Promise<unknown>) =>
    action().then(
      () => props.onChanged(),
      (caught: unknown) => {
        addToast({ severity: 'error', title: 'The link was not changed', description: describeError(caught) })
        props.onChanged()
      },
    )
  const label = link.role === 'editor' ? 'Can edit' : 'View only'
  return (
    <div className="link-controls" data-testid={`link-${link.role}`}>
      <CopyRow label={label} url={`${window.location.origin}/r/${link.id}`} />
      <div className="row">
        <TldrawUiButton
          type="low"
          onClick={() =>
            ownerApi.rotate(owned.ownerKey, owned.roomId, link.id).then(props.onChanged, (caught: unknown) =>
              addToast({
                severity: 'error',
                title: 'The link was not rotated',
                description: describeError(caught),
              }),
            )
          }
        >
          <TldrawUiButtonLabel>Rotate</TldrawUiButtonLabel>
        </TldrawUiButton>
        <TldrawUiButton
          type="low"
          onClick={() => act(() => ownerApi.revoke(owned.ownerKey, owned.roomId, link.id))}
        >
          <TldrawUiButtonLabel>Revoke</TldrawUiButtonLabel>
        </TldrawUiButton>
        <select
          className="field"
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

function RenameRow({ owned, title }: { owned: OwnedRoom; title: string }) {
  const [draft, setDraft] = useState(title)
  const { addToast } = useToasts()
  // A rename from elsewhere (the title on the board, another tab) shows here too.
  useEffect(() => setDraft(title), [title])
  const save = () =>
    // Success shows as the new name, on the board and at the top of this dialog.
    ownerApi.rename(owned.ownerKey, owned.roomId, draft.trim()).catch((caught: unknown) =>
      addToast({
        severity: 'error',
        title: 'The board was not renamed',
        description: describeError(caught),
      }),
    )
  return (
    <div className="row">
      <TldrawUiInput
        key={title}
        aria-label="Board name"
        defaultValue={title}
        maxLength={200}
        onValueChange={setDraft}
        onComplete={() => void save()}
      />
      <TldrawUiButton type="normal" onClick={save} disabled={!draft.trim() || draft.trim() === title}>
        <TldrawUiButtonLabel>Rename</TldrawUiButtonLabel>
      </TldrawUiButton>
    </div>
  )
}

function DeleteRow({ owned, info }: { owned: OwnedRoom; info: LinkInfo }) {
  const [confirming, setConfirming] = useState(false)
  const { addToast } = useToasts()
  if (!confirming) {
    return (
      <TldrawUiButton type="danger" onClick={() => setConfirming(true)}>
        <TldrawUiButtonLabel>Delete board</TldrawUiButtonLabel>
      </TldrawUiButton>
    )
  }
  return (
    <div className="row">
      <span>Delete this board for everyone? This cannot be undone.</span>
      <TldrawUiButton
        type="danger"
        onClick={async () => {
          try {
            await ownerApi.deleteRoom(owned.ownerKey, owned.roomId)
            deviceStore.forgetLink(info.linkId)
            navigate('/')
          } catch (caught) {
            addToast({
              severity: 'error',
              title: 'The board was not deleted',
              description: describeError(caught),
            })
          }
        }}
      >
        <TldrawUiButtonLabel>Delete for everyone</TldrawUiButtonLabel>
      </TldrawUiButton>
      <TldrawUiButton type="normal" onClick={() => setConfirming(false)}>
        <TldrawUiButtonLabel>Keep it</TldrawUiButtonLabel>
      </TldrawUiButton>
    </div>
  )
}

function OwnerControls({ info, owned, title }: { info: LinkInfo; owned: OwnedRoom; title: string }) {
  const [admin, setAdmin] = useState<RoomAdminReply>()
  const [error, setError] = useState<string>()
  const accountsEnabled = useAccount()?.enabled === true
  const refresh = useCallback(
    () =>
      ownerApi.room(owned.ownerKey, owned.roomId).then(setAdmin, (caught: Error) => setError(caught.message)),
    [owned],
  )
  useEffect(() => {
    void refresh()
  }, [refresh])

  const onChanged = (rotated?: ShareLink) => {
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
      <RenameRow owned={owned} title={title} />
      {admin.links
        .filter((link) => !link.revokedAt)
        .map((link) => (
          <LinkControls key={link.id} link={link} owned={owned} onChanged={onChanged} />
        ))}
      {accountsEnabled && (
        <MembersSection owned={owned} isPrivate={admin.private} onChanged={() => void refresh()} />
      )}
      <DeleteRow owned={owned} info={info} />
    </>
  )
}

/**
 * The owner credentials for this board: the owner key kept on this device, or — when the server
 * said the signed-in account owns it — the account's, with the links read from the owner API.
 */
function useOwnership(info: LinkInfo): OwnedRoom | undefined {
  const kept = deviceStore.owned(info.roomId)
  const byAccount = !kept && ownerKeyFor(info) === ''
  const [fromAccount, setFromAccount] = useState<OwnedRoom>()
  useEffect(() => {
    if (!byAccount) return
    void ownerApi.room('', info.roomId).then(
      (admin) => {
        const find = (role: ShareLink['role']) =>
          admin.links.find((link) => link.role === role && !link.revokedAt)
        const edit = find('editor')
        const view = find('viewer')
        if (edit && view) setFromAccount({ roomId: info.roomId, ownerKey: '', links: { edit, view } })
      },
      () => undefined, // ownership changed since the link resolved: the current link only
    )
  }, [byAccount, info.roomId])
  return kept ?? fromAccount
}

export function ShareDialog({ info, doc }: { info: LinkInfo; doc: Y.Doc }) {
  const owned = useOwnership(info)
  const title = useBoardTitle(doc, info.title)
  return (
    <>
      <TldrawUiDialogHeader>
        <TldrawUiDialogTitle>Share this board</TldrawUiDialogTitle>
        <TldrawUiDialogCloseButton />
      </TldrawUiDialogHeader>
      <TldrawUiDialogBody className="app-dialog share-dialog">
        <p className="dialog-subtitle" data-testid="share-board-name">
          {title}
        </p>
        {owned ? (
          <OwnerControls info={info} owned={owned} title={title} />
        ) : (
          <>
            <CopyRow label="Can edit" url={`${window.location.origin}/r/${info.linkId}`} />
            <p className="hint">Only the board's owner can see and manage its other links.</p>
          </>
        )}
      </TldrawUiDialogBody>
    </>
  )
}
