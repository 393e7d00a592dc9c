/**
 * The landing page's account corner: sign in by email link (or sign out), and the signed-in
 * person's boards — the ones they own or were invited to. Hidden when accounts are off.
 */
import { type MyRoom, MyRoomsReply } from '@drawbridge/shared'
import { useEffect, useState } from 'react'
import { readReply } from '../app/api'
import { authHeaders, supabase, useAccount } from './session'

function MyBoards() {
  const [rooms, setRooms] = useState<MyRoom[]>()
  useEffect(() => {
    void fetch('/api/me/rooms', { headers: authHeaders() })
      .then((response) => (response.ok ? readReply(response, MyRoomsReply) : { rooms: [] }))
      .then((body) => setRooms(body.rooms))
  }, [])
  if (!rooms) return <p>Loading your boards…</p>
  if (rooms.length === 0) return <p>You have no boards yet.</p>
  return (
    <ul className="board-list" data-testid="my-boards">
      {rooms.map((room) => (
        <li key={room.roomId}>
          <span>
            {room.title || 'Untitled board'} {room.isPrivate ? '🔒' : ''}
          </span>
          <span className="role">{room.role}</span>
        </li>
      ))}
    </ul>
  )
}

export function AccountPanel() {
  const account = useAccount()
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<string>()
  if (!account?.enabled) return null
  if (account.session) {
    return (
      <section className="account">
        <p>
          Signed in as <strong>{account.session.user.email}</strong>{' '}
          <button type="button" onClick={async () => (await supabase())?.auth.signOut()}>
            Sign out
          </button>
        </p>
        <h2>My boards</h2>
        <MyBoards />
      </section>
    )
  }
  return (
    <section className="account">
      <form
        onSubmit={async (event) => {
          event.preventDefault()
          const result = await (await supabase())?.auth.signInWithOtp({
            email,
            options: { emailRedirectTo: window.location.origin },
          })
          if (result?.error) setError(result.error.message)
          else setSent(true)
        }}
      >
        <label>
          Sign in to keep your boards and make private ones:{' '}
          <input
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
        </label>{' '}
        <button type="submit">Email me a sign-in link</button>
      </form>
      {sent && <p>Check your inbox for the sign-in link.</p>}
      {error && <p className="error">{error}</p>}
    </section>
  )
}
