/**
 * The browser benchmark's anchor (`tests/bench/browserLoad.ts`): bare tldraw opening a board's
 * records from a local JSON file — no Yjs, no server, no Drawbridge code — with the same tldraw
 * build, assets and page limit as the app, so the app's load can be measured against tldraw's own.
 * Built only by the benchmark (`vite.config.ts` here), never part of the app.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import {
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  type Editor,
  type TLRecord,
  Tldraw,
} from 'tldraw'
import 'tldraw/tldraw.css'

declare global {
  interface Window {
    /** The benchmark reads the editor here, as it reads the app's through `__drawbridge`. */
    __bare?: { editor: Editor }
  }
}

const records = (await (await fetch('./records.json')).json()) as TLRecord[]
const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
store.mergeRemoteChanges(() => store.put(records))
performance.mark('bare:store-loaded')

const root = document.getElementById('root')
if (!root) throw new Error('no #root')
createRoot(root).render(
  createElement(Tldraw, {
    store,
    assetUrls: getAssetUrlsByImport(),
    options: { maxShapesPerPage: 10_000 },
    onMount: (editor: Editor) => {
      // `?view=fit` opens fitted to the board, as the app opens a board it has no stored view of.
      if (new URLSearchParams(location.search).get('view') === 'fit') editor.zoomToFit()
      performance.mark('bare:editor-mounted')
      window.__bare = { editor }
    },
  }),
)
