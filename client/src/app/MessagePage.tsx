/**
 * A full-page message (unknown link, expired link, errors, "Opening the board…") with a way back to
 * the start, in the person's tldraw theme.
 */
import { themeClass } from './theme'

export function MessagePage({ title, body }: { title: string; body: string }) {
  return (
    <div className={`landing-shell ${themeClass()}`}>
      <main className="page message-page" data-testid="message-page">
        <h1>{title}</h1>
        <p>{body}</p>
        <a href="/">Go to Drawbridge</a>
      </main>
    </div>
  )
}

/** While a board is being opened. */
export function LoadingPage() {
  return (
    <div className={`landing-shell ${themeClass()}`}>
      <div className="page">Opening the board…</div>
    </div>
  )
}
