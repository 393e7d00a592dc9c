/**
 * Registers the PWA service worker (production builds only), which precaches the whole app
 * (~7 MB), at start-up on every page. (Deferring it on board pages until the board had loaded
 * made the worker take control mid-session, and a placement e2e on a phone failed in CI.)
 */
import { registerSW } from 'virtual:pwa-register'

let registered = false

export function registerServiceWorker(): void {
  if (registered || !import.meta.env.PROD || !('serviceWorker' in navigator)) return
  registered = true
  registerSW({ immediate: true })
}
