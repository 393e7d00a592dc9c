/** Words of the landing page: when a board was last opened ("opened 5 minutes ago"). */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** When a board was last opened on this device, in words. */
export function describeOpenedAt(openedAt: number, now: number): string {
  const ago = Math.max(0, now - openedAt)
  if (ago < MINUTE_MS) return 'opened just now'
  if (ago < HOUR_MS) {
    const minutes = Math.floor(ago / MINUTE_MS)
    return `opened ${minutes} minute${minutes === 1 ? '' : 's'} ago`
  }
  if (ago < DAY_MS) {
    const hours = Math.floor(ago / HOUR_MS)
    return `opened ${hours} hour${hours === 1 ? '' : 's'} ago`
  }
  return `opened ${new Date(openedAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}`
}
