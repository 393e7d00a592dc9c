/**
 * Registers the PWA service worker (production builds only), which precaches the whole app
 * (~7 MB). A board page registers it once the board has loaded (`BoardCanvas`): installing it
 * fetches and stores every file of the app, which on a first visit competed with the board's own
 * load for the same CPU. Every other page registers it at once.
 */
import { registerSW } from 'virtual:pwa-register'

let registered = false

export function registerServiceWorker(): void {
  if (registered || !import.meta.env.PROD || !('serviceWorker' in navigator)) return
  registered = true
  registerSW({ immediate: true })
}

/** Board pages (`/r/<link>`) register the worker themselves, after the board has loaded. */
export function isBoardPath(pathname: string): boolean {
  return pathname.startsWith('/r/')
}
