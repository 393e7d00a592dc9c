/**
 * Messages for the person that arise outside tldraw's UI — a change refused by the store binding,
 * a board reopened after the server refused this device's changes — handed to the board's chrome,
 * which shows them as toasts. A message comes with a key: a newer one with the same key replaces
 * the older toast rather than piling up. Messages wait while nothing listens (the board reopening).
 * Owns: that hand-over only. Must not touch: the doc, the store, the socket.
 */

export interface BoardNotice {
  /** Same key, same toast: repeated refusals show once. */
  key: string
  message: string
}

export class BoardNotices {
  private listener: ((notice: BoardNotice) => void) | undefined
  private readonly waiting: BoardNotice[] = []

  show = (notice: BoardNotice): void => {
    if (this.listener) this.listener(notice)
    else this.waiting.push(notice)
  }

  listen(listener: (notice: BoardNotice) => void): () => void {
    this.listener = listener
    for (const notice of this.waiting.splice(0)) listener(notice)
    return () => {
      if (this.listener === listener) this.listener = undefined
    }
  }
}
