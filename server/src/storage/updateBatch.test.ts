import { describe, expect, it } from 'vitest'
import { packUpdates, unpackUpdates } from './updateBatch'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('rows holding several updates', () => {
  it('gives back each update as it was packed, in order, empty and large ones included', () => {
    const updates = [bytes(1, 2, 3), bytes(), new Uint8Array(300).fill(7), bytes(9)]
    expect(unpackUpdates(packUpdates(updates), updates.length)).toEqual(updates)
  })

  it('reads a row of one update as that update, untouched', () => {
    const update = bytes(0, 0)
    expect(unpackUpdates(update, 1)[0]).toBe(update)
  })

  it('refuses a row whose bytes do not hold exactly its count', () => {
    const packed = packUpdates([bytes(1, 2), bytes(3)])
    expect(() => unpackUpdates(packed, 3)).toThrow('holds 2 of its 3')
    expect(() => unpackUpdates(packed, 1 + 0.5)).toThrow('cannot hold')
    expect(() => unpackUpdates(packed.subarray(0, packed.length - 1), 2)).toThrow('cut short')
    expect(() => unpackUpdates(bytes(...packed, 1, 5), 2)).toThrow('more than its 2')
  })
})
