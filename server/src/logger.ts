/** Structured logging (pino). One root logger per server; modules take a child with their name. */
import { pino } from 'pino'

export type Logger = pino.Logger

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'drawbridge' } })
}

/** Link ids are capabilities: logs carry only a short prefix. */
export function redactLinkId(linkId: string): string {
  return `${linkId.slice(0, 4)}…`
}
