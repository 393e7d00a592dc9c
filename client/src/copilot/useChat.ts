/**
 * The room's conversation, live: the doc's `chat` Y.Array (docs/architecture.md, "Document layout") read into checked
 * messages (the shared `ChatMessageSchema`) and re-read whenever it changes (locally, from the
 * server, from the co-pilot). The server appends every message — prompts and replies — so this only reads.
 * Owns: reading the chat array. Must not touch: writing to the doc, the records, the editor.
 */
import { CHAT_KEY, type ChatMessage, ChatMessageSchema } from '@drawbridge/shared'
import { useEffect, useState } from 'react'
import * as Y from 'yjs'

/** The checked messages of a chat array; items that are not messages are skipped. */
export function readChat(chat: Y.Array<unknown>): ChatMessage[] {
  return chat.toArray().flatMap((item) => {
    const message = ChatMessageSchema.safeParse(item instanceof Y.Map ? item.toJSON() : item)
    return message.success ? [message.data] : []
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
