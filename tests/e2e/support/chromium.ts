/**
 * How this project launches Debian's Chromium (never a downloaded browser), for the browser tests
 * and the browser benchmark alike. Without the background-networking flags the closed network here
 * refuses a flood of connections.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]
