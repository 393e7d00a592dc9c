/**
 * Prints the glyph advance table of `shared/src/drawio/textWidth.ts`: the width of every printable
 * ASCII character in tldraw's four fonts (the woff2 files tldraw ships in @tldraw/assets, regular
 * and bold), measured in Chromium with canvas `measureText`, in thousandths of an em (rounded up).
 * Run from tests/ after a tldraw upgrade: `node --import tsx bench/fontWidths.ts`.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/chromium'

const require = createRequire(new URL('../../client/package.json', import.meta.url))
const FONTS = join(dirname(require.resolve('@tldraw/assets/package.json')), 'fonts')
/** tldraw's font → its regular and bold files (tldraw's `tldraw_<font>` and `…_bold` assets). */
const FILES = {
  sans: ['IBMPlexSans-Medium', 'IBMPlexSans-Bold'],
  serif: ['IBMPlexSerif-Medium', 'IBMPlexSerif-Bold'],
  mono: ['IBMPlexMono-Medium', 'IBMPlexMono-Bold'],
  draw: ['Shantell_Sans-Informal_Regular', 'Shantell_Sans-Informal_Bold'],
} as const

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
try {
  const page = await browser.newPage()
  const lines: string[] = []
  for (const [font, [regular, bold]] of Object.entries(FILES)) {
    const widths = await page.evaluate(
      async ({ faces }) => {
        const out: string[] = []
        for (const [i, data] of faces.entries()) {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
          const face = new FontFace(`measured${i}`, bytes)
          await face.load()
          document.fonts.add(face)
          const context = document.createElement('canvas').getContext('2d')!
          context.font = `1000px measured${i}`
          const row: number[] = []
          for (let code = 32; code < 127; code += 1)
            row.push(Math.ceil(context.measureText(String.fromCharCode(code)).width))
          out.push(row.join(' '))
        }
        return out
      },
      { faces: [regular, bold].map((name) => readFileSync(join(FONTS, `${name}.woff2`)).toString('base64')) },
    )
    lines.push(`  ${font}: ['${widths[0]}', '${widths[1]}'],`)
  }
  console.log(lines.join('\n'))
} finally {
  await browser.close()
}
