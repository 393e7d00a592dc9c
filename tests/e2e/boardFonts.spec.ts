/**
 * A first visit on a slow network: the board's fonts arrive after the board's records. Its labels
 * must still be measured in those fonts, as tldraw measures them once the fonts are there (tldraw
 * keeps a label's first measurement, so one taken in a fallback font stays wrong).
 */
import { buildGeoShape, getIndices, openRecords, type TLShapeId } from '@drawbridge/shared'
import { openBoard } from './support/board'
import { compareLabelsWithFreshMeasurement } from './support/labels'
import { withSeededRoom } from './support/peer'
import { expect, test } from './support/test'

/** More than the first view's batch, so most of the board arrives after the editor mounts. */
const SHAPES = 600
const FONTS = ['draw', 'sans', 'serif', 'mono'] as const
const WORDS = ['Queue', 'Payment service', 'Retry with backoff', 'DB', 'Auth gateway', 'Nightly export job']

test("a first visit whose fonts arrive late measures the board's labels in them", async ({ page }) => {
  test.setTimeout(120_000)
  await withSeededRoom(async (room, seeder) => {
    const records = openRecords(seeder.doc)
    const indices = getIndices(SHAPES)
    seeder.doc.transact(() => {
      for (let i = 0; i < SHAPES; i++) {
        const base = buildGeoShape({
          id: `shape:font-${i}` as TLShapeId,
          x: (i % 30) * 340,
          y: Math.floor(i / 30) * 140,
          w: 240 + (i % 4) * 40,
          h: 80,
          text: `${WORDS[i % WORDS.length]} ${i}`,
          index: indices[i]!,
        })
        // A third of the labels start with a bold word: the bold face is a file of its own.
        const richText =
          i % 3 === 0
            ? {
                type: 'doc',
                content: [
                  {
                    type: 'paragraph',
                    content: [
                      { type: 'text', text: 'Step ', marks: [{ type: 'bold' }] },
                      { type: 'text', text: `${WORDS[i % WORDS.length]} ${i}` },
                    ],
                  },
                ],
              }
            : base.props.richText
        records.set(base.id, { ...base, props: { ...base.props, font: FONTS[i % FONTS.length]!, richText } })
      }
    })

    // A slow network for fonts only: each font file arrives 1.5 s after it is asked for.
    let delayedFonts = 0
    await page.route(/\.woff2?$/, async (route) => {
      delayedFonts++
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      await route.continue()
    })
    await openBoard(page, room.links.edit.id)
    expect(delayedFonts).toBeGreaterThan(0)
    await expect
      .poll(() => page.evaluate(() => window.__drawbridge!.editor.getCurrentPageShapes().length))
      .toBe(SHAPES)
    // Every font the page asked for has arrived: a fresh measurement now uses them.
    await page.evaluate(async () => {
      const loading = [...document.fonts].filter((font) => font.status === 'loading')
      await Promise.all(loading.map((font) => font.loaded.catch(() => undefined)))
      await document.fonts.ready
    })

    const compared = await compareLabelsWithFreshMeasurement(page)
    expect(compared.widths).toBeGreaterThan(15)
    expect(compared.mismatches).toEqual([])
  })
})
