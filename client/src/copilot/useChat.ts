/**
 * The room's conversation, live: the doc's `chat` Y.Array (docs/architecture.md, "Document layout") read into checked
 * messages and re-read whenever it changes (locally, from the server, from the co-pilot). The
 * server appends every message — prompts and replies — so this only reads.
 * Owns: reading the chat array. Must not touch: writing to the doc, the records, the editor.
 */
import { CHAT_KEY } from '@drawbridge/shared'
import { useEffect, useState } from 'react'
import * as Y from 'yjs'
import { boolean, maybe, number, object, oneOf, string, tryParse } from './check'

export const parseChatMessage = object({
  id: string({ min: 1, max: 200 }),
  at: number,
  author: object({
    id: string({ max: 200 }),
    name: string({ max: 200 }),
    kind: oneOf('human', 'ai'),
  }),
  text: string({ max: 100_000 }),
  jobId: maybe(string({ min: 1, max: 200 })),
  /** On a co-pilot's reply: false when its job changed nothing (no "Undo this"). */
  undoable: maybe(boolean),
})
export type ChatMessage = ReturnType<typeof parseChatMessage>

/** The checked messages of a chat array; items that are not messages are skipped. */
export function readChat(chat: Y.Array<unknown>): ChatMessage[] {
  return chat.toArray().flatMap((item) => {
    const message = tryParse(parseChatMessage, item instanceof Y.Map ? item.toJSON() : item)
    return message ? [message] : []
  })
}

export function useChat(doc: Y.Doc): ChatMessage[] {
  const [messages, setMessages] = useState<ChatMessage[]>(() => readChat(doc.getArray(CHAT_KEY)))
  useEffect(() => {
    const chat = doc.getArray<unknown>(CHAT_KEY)
    const update = () => setMessages(readChat(chat))
    update()
    chat.observeDeep(update)
    return () => chat.unobserveDeep(update)
  }, [doc])
  return messages
}
