/**
 * Helpers for driving a board in a page: open it, read what its editor holds (through the
 * `window.__drawbridge` test hook), and create rooms over the API.
 */
import { type Browser, expect, type Page } from '@playwright/test'
import './testHook'

export const BASE_URL = (): string => {
  const url = process.env.DRAWBRIDGE_URL
  if (!url) throw new Error('DRAWBRIDGE_URL is not set: the global setup did not run')
  return url
}

export interface CreatedRoom {
  roomId: string
  links: { edit: { id: string }; view: { id: string } }
}

export async function createRoom(): Promise<CreatedRoom> {
  const response = await fetch(`${BASE_URL()}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'E2E board' }),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as CreatedRoom
}

/** Opens a board and waits until all of it is in the editor (see largeBoard.spec for while it loads). */
export async function openBoard(page: Page, linkId: string, name?: string): Promise<void> {
  await page.goto(`${BASE_URL()}/r/${linkId}`)
  await page.waitForFunction(
    () => window.__drawbridge?.editor !== undefined && window.__drawbridge.waiting() === 0,
  )
  if (name) {
    await page.evaluate((n) => window.__drawbridge!.editor.user.updateUserPreferences({ name: n }), name)
  }
}

export interface ShapeSummary {
  id: string
  type: string
  x: number
  y: number
  text: string
}

/** The shapes on the current page, with their label text. */
export function shapesOn(page: Page): Promise<ShapeSummary[]> {
  return page.evaluate(() => {
    const editor = window.__drawbridge!.editor
    return editor.getCurrentPageShapes().map((shape) => {
      const props = shape.props as { richText?: unknown }
      return {
        id: shape.id,
        type: shape.type,
        x: shape.x,
        y: shape.y,
        text: props.richText ? JSON.stringify(props.richText) : '',
      }
    })
  })
}

/** Creates labelled rectangles through the editor, as a person's own action (undoable, synced). */
export function addRectangles(page: Page, labels: string[]): Promise<void> {
  return page.evaluate((texts) => {
    const editor = window.__drawbridge!.editor
    texts.forEach((text, i) => {
      editor.createShape({
        type: 'geo',
        x: 100 + i * 180,
        y: 400,
        props: {
          w: 140,
          h: 80,
          richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
        },
      })
    })
  }, labels)
}

/**
 * Two people on one edit link in their own contexts; the first one's service worker is active (the
 * app precached), so the first context can go offline and reload.
 */
export async function twoPeopleOneCanGoOffline(browser: Browser, linkId: string) {
  const contextA = await browser.newContext()
  const a = await contextA.newPage()
  const b = await (await browser.newContext()).newPage()
  await openBoard(a, linkId, 'Ada')
  await openBoard(b, linkId, 'Ben')
  await a.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
  return { contextA, a, b }
}
