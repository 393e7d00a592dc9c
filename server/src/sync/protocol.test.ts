import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MessageType,
} from './protocol'

function frame(...parts: Array<{ uint: number } | { bytes: Uint8Array }>): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const part of parts) {
    if ('uint' in part) encoding.writeVarUint(encoder, part.uint)
    else encoding.writeVarUint8Array(encoder, part.bytes)
  }
  return encoding.toUint8Array(encoder)
}

describe('decodeClientMessage', () => {
  const doc = new Y.Doc()
  doc.getMap('m').set('k', 'v')

  it('round-trips what the encoders write', () => {
    expect(decodeClientMessage(encodeSyncStep1(doc))).toEqual({
      ok: true,
      message: { type: 'sync-step-1', stateVector: Y.encodeStateVector(doc) },
    })
    const step2 = decodeClientMessage(encodeSyncStep2(doc, new Uint8Array([0])))
    expect(step2.ok && step2.message.type).toBe('sync-step-2')
    const update = Y.encodeStateAsUpdate(doc)
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({
      ok: true,
      message: { type: 'update', update },
    })
    const awareness = new Awareness(doc)
    awareness.setLocalState({ user: { name: 'A' } })
    const decoded = decodeClientMessage(encodeAwareness(awareness))
    expect(decoded.ok && decoded.message.type).toBe('awareness')
    expect(decodeClientMessage(frame({ uint: MessageType.QueryAwareness }))).toEqual({
      ok: true,
      message: { type: 'query-awareness' },
    })
  })

  it('reports truncated frames and broken varints as malformed', () => {
    for (const bytes of [[], [0], [0, 2], [0, 2, 50, 1], [0xff, 0xff, 0xff], [1, 200]]) {
      const result = decodeClientMessage(Uint8Array.from(bytes))
      expect(result.ok ? 'ok' : result.reason, `frame ${bytes}`).toBe('malformed')
    }
  })

  it('reports unknown message and sync types as unsupported', () => {
    expect(decodeClientMessage(frame({ uint: MessageType.Auth }))).toMatchObject({
      ok: false,
      reason: 'unsupported',
    })
    expect(decodeClientMessage(frame({ uint: 42 }))).toMatchObject({ ok: false, reason: 'unsupported' })
    expect(decodeClientMessage(frame({ uint: 0 }, { uint: 7 }, { bytes: new Uint8Array(1) }))).toMatchObject({
      ok: false,
      reason: 'unsupported',
    })
  })
})
