/** A full-page message (unknown link, expired link, errors) with a way back to the start. */
export function MessagePage({ title, body }: { title: string; body: string }) {
  return (
    <main className="page message-page" data-testid="message-page">
      <h1>{title}</h1>
      <p>{body}</p>
      <a href="/">Go to Drawbridge</a>
    </main>
  )
}
