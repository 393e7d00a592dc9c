/**
 * tldraw's theme class (`tl-theme__light` / `tl-theme__dark`) for this person's colour-scheme
 * preference — the one the board uses — for the app's surfaces outside tldraw's own container (the
 * landing page, a version preview), so tldraw's `--tl-color-*` variables apply there too.
 */
import { getUserPreferences } from 'tldraw'

export function themeClass(): string {
  const scheme = getUserPreferences().colorScheme ?? 'light'
  const dark =
    scheme === 'dark' || (scheme === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches)
  return dark ? 'tl-theme__dark' : 'tl-theme__light'
}
