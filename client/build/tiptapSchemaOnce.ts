/**
 * A build step: tldraw's rich-text module imports TipTap's helpers from `src/board/richTextHtml.ts`
 * instead of `@tiptap/core`, so that the schema is built once rather than for every label (see that
 * file). Only that one module of tldraw is redirected; everything else, this app's code included,
 * gets `@tiptap/core` itself. The benchmark's bare-tldraw page is built without it.
 */
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const RICH_TEXT_MODULE = /[\\/]tldraw[\\/]dist-esm[\\/]lib[\\/]utils[\\/]text[\\/]richText\.mjs$/
const SCHEMA_ONCE = fileURLToPath(new URL('../src/board/richTextHtml.ts', import.meta.url))

export function tiptapSchemaOnce(): Plugin {
  let redirected = false
  return {
    name: 'drawbridge:tiptap-schema-once',
    enforce: 'pre',
    apply: 'build',
    resolveId(source, importer) {
      if (source !== '@tiptap/core' || !importer || !RICH_TEXT_MODULE.test(importer)) return null
      redirected = true
      return SCHEMA_ONCE
    },
    buildEnd(error) {
      // A tldraw that moved its rich-text module would silently lose the fix: fail the build instead.
      if (!error && !redirected)
        this.error("tldraw's rich-text module was not found: update tiptapSchemaOnce.ts")
    },
  }
}
