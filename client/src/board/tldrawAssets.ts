/**
 * tldraw's fonts, icon sprite, translations and embed icons as files of our own build
 * (`@tldraw/assets`), so every editor — the board and a version preview — loads nothing from
 * tldraw's CDN: the app works offline and under our CSP.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'

export const assetUrls = getAssetUrlsByImport()
