import { toRichText } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { decodeBase64, encodeBase64 } from './codec'
import { htmlToRichText, richTextToHtml, richTextToPlain } from './richText'
import { parseStyle, writeStyle } from './style'

describe('HTML labels', () => {
  it('read draw.io markup as paragraphs and marks', () => {
    const doc = htmlToRichText('<div>First&nbsp;line</div><div><b>bold</b> and <i>it</i></div>plain<br>last')
    expect(richTextToPlain(doc)).toBe('First line\nbold and it\nplain\nlast')
    expect(JSON.stringify(doc)).toContain('"marks":[{"type":"bold"}]')
  })

  it('drop every element that is not text and every attribute but safe hrefs', () => {
    const doc = htmlToRichText(
      '<span style="x" onclick="evil()">a</span><style>p{}</style><iframe src="x">f</iframe><a href=" data:text/html,x">b</a><a href="mailto:m@x.example">c</a>',
    )
    expect(richTextToPlain(doc)).toBe('abc')
    const json = JSON.stringify(doc)
    for (const bad of ['evil', 'style', 'iframe', 'data:']) expect(json).not.toContain(bad)
    expect(json).toContain('mailto:m@x.example')
  })

  it('fall back to text for markup the HTML parser refuses', () => {
    expect(richTextToPlain(htmlToRichText('<div><p>x</div> &amp; <script>alert(1)</script>y'))).toBe(
      'x\n &amp; y'.replace('&amp;', '&'),
    )
  })

  it('write plain text escaped, one <br> per paragraph', () => {
    expect(richTextToHtml(toRichText('a < b\n\n"c" & d'))).toBe('a &lt; b<br><br>&quot;c&quot; &amp; d')
    expect(richTextToPlain(htmlToRichText(richTextToHtml(toRichText('x\ny & <z>'))))).toBe('x\ny & <z>')
  })
})

describe('codec and style helpers', () => {
  it('base64 matches the standard alphabet and padding', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253])
    expect(encodeBase64(bytes)).toBe('AAEC+vv8/Q==')
    expect([...(decodeBase64('AAEC+vv8/Q==') ?? [])]).toEqual([...bytes])
    expect(decodeBase64('**')).toBeNull()
  })

  it('style strings round-trip, with bare names and ; inside values escaped', () => {
    const style = parseStyle('ellipse;shape=cloud;whiteSpace=wrap;html=1;image=data:image/png,AAA;')
    expect(style.get('_name')).toBe('ellipse')
    expect(style.get('shape')).toBe('cloud')
    expect(
      writeStyle([
        ['_name', 'text'],
        ['link', 'a;b'],
        ['fontSize', 12.345],
        ['skip', undefined],
      ]),
    ).toBe('text;link=a%3Bb;fontSize=12.35;')
  })
})
