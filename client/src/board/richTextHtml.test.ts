// @vitest-environment happy-dom
import * as tiptap from '@tiptap/core'
import { tipTapDefaultExtensions, toRichText } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { generateHTML, generateText } from './richTextHtml'

/** tldraw's rich text is TipTap's JSON. */
const label = (text: string) => toRichText(text) as tiptap.JSONContent

/** Labels as boards hold them: what tldraw writes, and what its editor can put in a label. */
const labels: tiptap.JSONContent[] = [
  label(''),
  label('Step 1'),
  label('Two\nlines'),
  label('a < b & "c" > d'),
  label('数据库 サーバー 🚀'),
  label('\n\nblank lines between\n\n'),
  {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        attrs: { dir: 'rtl' },
        content: [
          { type: 'text', text: 'bold ', marks: [{ type: 'bold' }] },
          { type: 'text', text: 'italic code', marks: [{ type: 'italic' }, { type: 'code' }] },
          {
            type: 'text',
            text: ' link',
            marks: [{ type: 'link', attrs: { href: 'https://example.com/?a=1&b=2' } }],
          },
          { type: 'text', text: ' marked', marks: [{ type: 'highlight' }, { type: 'strike' }] },
        ],
      },
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Heading' }] },
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
          {
            type: 'listItem',
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'two' }, { type: 'hardBreak' }] },
              {
                type: 'orderedList',
                attrs: { start: 3 },
                content: [
                  {
                    type: 'listItem',
                    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nested' }] }],
                  },
                ],
              },
            ],
          },
        ],
      },
      { type: 'paragraph' },
    ],
  },
]

describe('rich text rendered with the schema built once', () => {
  it("gives TipTap's own HTML for every kind of label, call after call", () => {
    for (let round = 0; round < 2; round++) {
      for (const label of labels) {
        const expected = tiptap.generateHTML(label, tipTapDefaultExtensions)
        expect(generateHTML(label, tipTapDefaultExtensions)).toBe(expected)
      }
    }
    // Not a vacuous comparison: the marks and lists came out as markup.
    expect(generateHTML(labels.at(-1)!, tipTapDefaultExtensions)).toMatch(
      /<strong>bold <\/strong>.*<ol dir="auto" start="3">/s,
    )
  })

  it("gives TipTap's own plain text, with and without a block separator", () => {
    for (const label of labels) {
      expect(generateText(label, tipTapDefaultExtensions)).toBe(
        tiptap.generateText(label, tipTapDefaultExtensions),
      )
      expect(generateText(label, tipTapDefaultExtensions, { blockSeparator: '\n' })).toBe(
        tiptap.generateText(label, tipTapDefaultExtensions, { blockSeparator: '\n' }),
      )
    }
  })
})
