import type { TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { FIRST_PAGE_ID } from '../document/records'
import { mxfileToRecords } from './importMxfile'
import { IMPORT_LIMITS } from './limits'
import { shortenStyle } from './longStyles'
import { richTextToPlain } from './richText'

/** An inline stencil as real files hold them: a whole shape definition as base64, 12,000 chars. */
const stencil = `stencil(${'7Z3bbi7LcaSfRrdEd53r2jN+DwGWLcEeSZDkObz9VFogfzKi'.repeat(250)})`

const model = (cells: string) =>
  `<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>${cells}</root></mxGraphModel>`

describe('styles over the style limit', () => {
  it('imports a cell whose inline stencil makes its style too long, keeps its other keys and says what it left out', () => {
    const style = `shape=${stencil};fillColor=#dae8fc;strokeColor=#6c8ebf;fontSize=16;whiteSpace=wrap;html=1;`
    expect(style.length).toBeGreaterThan(IMPORT_LIMITS.maxStyleChars)
    const result = mxfileToRecords(
      model(
        `<mxCell id="fish" value="Crab" style="${style}" vertex="1" parent="1"><mxGeometry width="120" height="60" as="geometry"/></mxCell>` +
          `<mxCell id="ok" value="Rock" style="rounded=0;" vertex="1" parent="1"><mxGeometry x="200" width="80" height="40" as="geometry"/></mxCell>`,
      ),
      { pageId: FIRST_PAGE_ID },
    )
    if (!result.ok) throw new Error(result.error)
    const shapes = result.records.filter((r): r is TLShape => r.typeName === 'shape')
    expect(shapes.map((s) => (s.type === 'geo' ? richTextToPlain(s.props.richText) : s.type)).sort()).toEqual(
      ['Crab', 'Rock'],
    )
    const crab = shapes.find((s) => s.type === 'geo' && richTextToPlain(s.props.richText) === 'Crab')
    // The keys after the stencil still apply: light-blue stroke, 16 px label (size s at scale 16/18).
    expect(crab?.type === 'geo' && [crab.props.color, crab.props.fill, crab.props.scale]).toEqual([
      'light-blue',
      'solid',
      16 / 18,
    ])
    expect(result.skippedItems).toEqual([
      { id: 'fish', page: 'Page-1', reason: expect.stringMatching(/over the 10,000 limit.*left out shape/) },
    ])
  })

  it('keeps the last value of a repeated key and stays within the limit whatever the input', () => {
    const repeated = `rounded=1;${'fillColor=#ffffff;'.repeat(700)}fillColor=#f8cecc;`
    const shortened = shortenStyle(repeated, IMPORT_LIMITS.maxStyleChars)
    expect(shortened?.style).toBe('rounded=1;fillColor=#f8cecc;')
    const keys = Array.from({ length: 2_000 }, (_, i) => `key${i}=${i};`).join('')
    expect(shortenStyle(keys, IMPORT_LIMITS.maxStyleChars)!.style.length).toBeLessThanOrEqual(
      IMPORT_LIMITS.maxStyleChars,
    )
    expect(shortenStyle('rounded=1;', IMPORT_LIMITS.maxStyleChars)).toBeNull()
  })
})
