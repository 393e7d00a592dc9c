/** The co-pilot client's pure parts: wording, job merging, and reading the chat array. */
import { CHAT_KEY } from '@drawbridge/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CopilotRequestError, type Job, parseQuota } from './copilotApi'
import { describeError, describeJob, describeQuota, formatWait } from './copilotWords'
import { isFinished, mergeJob } from './jobEvents'
import { readChat } from './useChat'

describe('wording', () => {
  it('says how long to wait', () => {
    expect(formatWait(20)).toBe('20 s')
    expect(formatWait(23 * 60 - 5)).toBe('23 min')
    expect(formatWait(5 * 3600)).toBe('5 h')
    expect(formatWait(5 * 3600 + 600)).toBe('5 h 10 min')
  })

  it('names the limit that was hit and when to retry', () => {
    const hourly = new CopilotRequestError(429, 'limit', 'hour', 23 * 60)
    expect(describeError(hourly)).toBe('Hourly limit reached — try again in 23 min')
    expect(describeError(hourly, 13 * 60)).toBe('Hourly limit reached — try again in 10 min')
    expect(describeError(new CopilotRequestError(429, 'limit', 'day', 3600))).toBe(
      'Daily limit reached — try again in 1 h',
    )
    expect(describeError(new CopilotRequestError(503, 'full'))).toBe(
      'The co-pilot is busy — try again shortly',
    )
    expect(describeError(new CopilotRequestError(0, 'offline'))).toMatch(/Cannot reach the server/)
  })

  it('describes queue position (1 = next) and progress', () => {
    expect(describeJob({ id: 'j', status: 'queued', position: 3 })).toBe('Queued — 2 ahead of you')
    expect(describeJob({ id: 'j', status: 'queued', position: 1 })).toBe('Queued — next in line')
    expect(describeJob({ id: 'j', status: 'running', shapes: 12 })).toBe('Drawing… 12 shapes')
    expect(describeJob({ id: 'j', status: 'failed', error: 'model timed out' })).toBe(
      'The co-pilot could not finish: model timed out',
    )
  })

  it('says why a job drew nothing, and never "Done — 0 shapes drawn"', () => {
    expect(describeJob({ id: 'j', status: 'nothing', reason: 'needs-model' })).toBe(
      'Nothing drawn — that needs a model (see the chat)',
    )
    expect(describeJob({ id: 'j', status: 'nothing', reason: 'nothing-to-draw' })).toBe(
      'Nothing drawn — there was nothing to draw in that text',
    )
    expect(describeJob({ id: 'j', status: 'nothing', reason: 'answered' })).toBe('Answered in the chat')
    expect(describeJob({ id: 'j', status: 'succeeded', shapes: 0 })).toBe('Done — the answer is in the chat')
    expect(describeError(new CopilotRequestError(429, 'limit', 'minute', 40))).toBe(
      'Many diagrams in a minute — try again in 40 s',
    )
  })

  it('reads the quota', () => {
    const quota = parseQuota({
      plan: 'free',
      limits: { perHour: 5, perDay: 20, concurrent: 1 },
      used: { hour: 1, day: 1, running: 0 },
      remaining: { hour: 4, day: 19 },
    })
    expect(describeQuota(quota)).toBe('4 of 5 left this hour · 19 of 20 left today')
  })
})

describe('mergeJob', () => {
  const queued: Job = { id: 'j', status: 'queued', position: 2 }
  it('never moves a job backwards', () => {
    const running = mergeJob(queued, { status: 'running', shapes: 3 })
    expect(running).toEqual({ id: 'j', status: 'running', shapes: 3 })
    expect(mergeJob(running, { status: 'queued', position: 1 })).toBe(running)
    expect(mergeJob(running, { status: 'running', shapes: 2 })).toBe(running)
    const done = mergeJob(running, { status: 'succeeded', shapes: 5, exportUrl: '/x.drawio' })
    expect(mergeJob(done, { status: 'failed', error: 'late' })).toBe(done)
  })

  it('takes "nothing" as finished, with its reason', () => {
    const nothing = mergeJob(queued, { status: 'nothing', reason: 'needs-model' })
    expect(nothing).toEqual({ id: 'j', status: 'nothing', reason: 'needs-model' })
    expect(isFinished(nothing)).toBe(true)
    expect(mergeJob(nothing, { status: 'running' })).toBe(nothing)
  })
})

describe('readChat', () => {
  it('keeps well-formed messages and skips the rest', () => {
    const doc = new Y.Doc()
    const chat = doc.getArray<unknown>(CHAT_KEY)
    chat.push([
      { id: 'a', at: 1, author: { id: 'u', name: 'Alice', kind: 'human' }, text: 'graph LR' },
      { id: 'b', at: 2, author: { id: 'ai', name: 'Co-pilot', kind: 'ai' }, text: 'Done', jobId: 'j' },
      { id: 'c', text: 'no author' },
      'not a message',
    ])
    expect(readChat(chat).map((message) => message.id)).toEqual(['a', 'b'])
    expect(readChat(chat)[1]?.jobId).toBe('j')
    chat.push([
      {
        id: 'd',
        at: 3,
        author: { id: 'ai', name: 'Co-pilot', kind: 'ai' },
        text: 'No',
        jobId: 'k',
        undoable: false,
      },
    ])
    expect(readChat(chat)[2]?.undoable).toBe(false)
  })
})
