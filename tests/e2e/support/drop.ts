/**
 * Dropping a file on the canvas as a person's drag and drop would: a real `File` in a
 * `DataTransfer`, dispatched as dragover + drop on tldraw's canvas at a screen point.
 */
import type { Page } from '@playwright/test'

export interface DroppedFile {
  name: string
  mimeType: string
  bytes: Buffer
}

export async function dropFile(page: Page, file: DroppedFile, at = { x: 640, y: 400 }): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], name, { type: mimeType }))
      return transfer
    },
    { name: file.name, mimeType: file.mimeType, base64: file.bytes.toString('base64') },
  )
  const init = { dataTransfer, clientX: at.x, clientY: at.y }
  await page.dispatchEvent('.tl-canvas', 'dragover', init)
  await page.dispatchEvent('.tl-canvas', 'drop', init)
}
