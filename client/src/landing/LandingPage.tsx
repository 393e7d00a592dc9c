/**
 * `/`: create a board, or reopen one this device has seen (by name, with when it was last opened),
 * and a word on the tldraw licence for whoever hosts this. Follows tldraw's light/dark preference.
 */
import { type CreateRoomBody, CreateRoomReply } from '@drawbridge/shared'
import { useState } from 'react'
import { AccountPanel } from '../account/AccountPanel'
import { authHeaders, useAccount } from '../account/session'
import { readReply } from '../app/api'
import { navigate } from '../app/router'
import { themeClass } from '../app/theme'
import { deviceStore, type OwnedRoom } from '../offline/deviceStore'
import { LicenceNote } from './LicenceNote'
import { describeOpenedAt } from './landingWords'

async function createBoard(options: { private: boolean }): Promise<OwnedRoom> {
  // No title: the server names it after the day ("Board — 7 Dec"); the owner renames it on the board.
  const body: CreateRoomBody = { private: options.private }
  const response = await fetch('/api/rooms', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify(body),
  })
  return readReply(response, CreateRoomReply)
}

export function LandingPage() {
  const [creating, setCreating] = useState(false)
  const [error, setError] = useState<string>()
  const boards = deviceStore.boards()
  const theme = themeClass()

  const account = useAccount()
  const onNewBoard = async (isPrivate = false) => {
    setCreating(true)
    setError(undefined)
    try {
      const room = await createBoard({ private: isPrivate })
      deviceStore.rememberOwned(room)
      navigate(`/r/${room.links.edit.id}`)
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
      setCreating(false)
    }
  }

  return (
    <div className={`landing-shell ${theme}`}>
      <main className="page landing">
        <h1>Drawbridge</h1>
        <p>Sketch together in real time — even offline — and take the result to draw.io.</p>
        <button type="button" className="primary" onClick={() => onNewBoard()} disabled={creating}>
          {creating ? 'Creating…' : 'New board'}
        </button>{' '}
        {account?.session && (
          <button type="button" onClick={() => onNewBoard(true)} disabled={creating}>
            New private board
          </button>
        )}
        <AccountPanel />
        {error && <p className="error">Could not create a board: {error}</p>}
        <h2>Boards on this device</h2>
        {boards.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul className="board-list" data-testid="boards-on-device">
            {boards.map((board) => (
              <li key={board.linkId}>
                <a href={`/r/${board.linkId}`}>{board.title || 'Untitled board'}</a>
                <span className="role">
                  {board.role === 'viewer' ? 'view only' : 'can edit'} ·{' '}
                  <time dateTime={new Date(board.openedAt).toISOString()}>
                    {describeOpenedAt(board.openedAt, Date.now())}
                  </time>
                </span>
              </li>
            ))}
          </ul>
        )}
      </main>
      <LicenceNote />
    </div>
  )
}
