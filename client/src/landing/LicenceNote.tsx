/**
 * The landing page's footer: what tldraw's licence means for whoever hosts this instance, so a
 * self-hoster learns it before a public deployment hides the editor.
 */
export function LicenceNote() {
  return (
    <footer className="page licence-note" data-testid="licence-note">
      <h2>About the drawing canvas</h2>
      <p>
        Drawbridge draws with the <a href="https://tldraw.dev">tldraw SDK</a>, which has its own licence. On
        <code> http://</code> addresses and on <code>https://localhost</code> it runs as a development copy,
        with a small “made with tldraw” mark. A public <code>https://</code> site needs a tldraw licence key
        (a free non-commercial “hobby” licence exists; commercial use needs a paid one): whoever runs this
        server sets it as <code>TLDRAW_LICENSE_KEY</code> when starting the container — no rebuild. See{' '}
        <a href="https://tldraw.dev/pricing">tldraw.dev/pricing</a>.
      </p>
    </footer>
  )
}
