/**
 * TipTap's `generateHTML` and `generateText`, with the schema built once per extension list.
 * tldraw turns every label's rich text into HTML (to measure it and to draw it) through TipTap's
 * helpers, which build the whole ProseMirror schema from the extensions on every call and
 * serialize into a new HTML document each time: about 1 ms a label, the largest cost of opening a
 * board of labelled shapes. The client build hands tldraw's rich-text module these instead
 * (`client/build/tiptapSchemaOnce.ts`); the output is the same string (`richTextHtml.test.ts`).
 * Owns: the schema cache and one inert document to serialize in. Must not touch: tldraw's store.
 */
import {
  type Extensions,
  getSchema,
  getText,
  getTextSerializersFromSchema,
  type JSONContent,
  type TextSerializer,
} from '@tiptap/core'
import { DOMSerializer, type Schema } from '@tiptap/pm/model'

export * from '@tiptap/core'

/** tldraw passes the same extension array on every call (its defaults, or the editor's options). */
const schemas = new WeakMap<Extensions, Schema>()

function schemaFor(extensions: Extensions): Schema {
  let schema = schemas.get(extensions)
  if (!schema) {
    schema = getSchema(extensions)
    schemas.set(extensions, schema)
  }
  return schema
}

/** A detached element of a document that is never shown: nothing in it loads or runs. */
let scratch: HTMLElement | undefined

export function generateHTML(doc: JSONContent, extensions: Extensions): string {
  const schema = schemaFor(extensions)
  scratch ??= document.implementation.createHTMLDocument().createElement('div')
  const fragment = DOMSerializer.fromSchema(schema).serializeFragment(schema.nodeFromJSON(doc).content, {
    document: scratch.ownerDocument,
  })
  scratch.replaceChildren(fragment)
  const html = scratch.innerHTML
  scratch.replaceChildren()
  return html
}

export function generateText(
  doc: JSONContent,
  extensions: Extensions,
  options: { blockSeparator?: string; textSerializers?: Record<string, TextSerializer> } = {},
): string {
  const { blockSeparator = '\n\n', textSerializers = {} } = options
  const schema = schemaFor(extensions)
  return getText(schema.nodeFromJSON(doc), {
    blockSeparator,
    textSerializers: { ...getTextSerializersFromSchema(schema), ...textSerializers },
  })
}
