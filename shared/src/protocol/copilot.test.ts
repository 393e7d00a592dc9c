/** The co-pilot's contracts as both peers read them: what one side writes, the other keeps. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CHAT_KEY } from '../document/doc'
import { readChat } from '../document/readDocument'
import { AiRequestBody, JOB_EVENT_PAYLOADS, JobReply } from './copilot'

describe('co-pilot contracts', () => {
  it('a reply that changed nothing stays "not undoable" for every reader of the chat', () => {
    const doc = new Y.Doc()
    doc.getArray<unknown>(CHAT_KEY).push([
      {
        id: 'r',
        at: 1,
        author: { id: 'ai', name: 'Co-pilot', kind: 'ai' },
        text: 'Nothing to draw.',
        jobId: 'j',
        undoable: false,
      },
    ])
    expect(readChat(doc)[0]?.undoable).toBe(false)
  })

  it('reads a field left out as null the same as one left out', () => {
    const job = JobReply.parse({ id: 'j', status: 'queued', position: 2, reason: null, bounds: null })
    expect(job.reason).toBeUndefined()
    expect(job.bounds).toBeUndefined()
    expect(job.position).toBe(2)
  })

  it('checks socket.io payloads and request bodies', () => {
    expect(JOB_EVENT_PAYLOADS['ai:progress'].safeParse({ jobId: 'j', shapes: 'many' }).success).toBe(false)
    expect(
      JOB_EVENT_PAYLOADS['ai:nothing'].safeParse({ jobId: 'j', reason: 'bored', message: '' }).success,
    ).toBe(false)
    const body = AiRequestBody.parse({ prompt: '  a → b  ', authorName: '\u200bAda\u0007 ' })
    expect(body).toEqual({ prompt: 'a → b', selection: [], authorName: 'Ada' })
  })
})
