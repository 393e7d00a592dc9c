/**
 * The name a board gets when its creator gives none: "Board — 7 Dec" (the day it was made, UTC),
 * so boards can be told apart on the landing page and in tabs before anyone renames them.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

export function defaultBoardTitle(now: Date): string {
  return `Board — ${now.getUTCDate()} ${MONTHS[now.getUTCMonth()]}`
}
