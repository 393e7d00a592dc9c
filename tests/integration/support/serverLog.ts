/**
 * The JSON log lines of a spawned server (`spawnServer`), in the order they arrived, so a test can
 * wait for one and compare the order of what the server did with what clients saw.
 */
import type { ServerProcess } from './servers'

export interface LogLine {
  msg: string
  roomId?: string
  bytes?: number
  [field: string]: unknown
}

export interface ServerLog {
  readonly lines: LogLine[]
  /** Resolves with the first line (already seen or still to come) that matches. */
  next(matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>
}

export function watchLog(server: ServerProcess): ServerLog {
  const lines: LogLine[] = []
  const waiters = new Set<() => void>()
  let buffered = ''
  server.child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    const complete = buffered.split('\n')
    buffered = complete.pop() ?? ''
    for (const text of complete) {
      if (!text.startsWith('{')) continue
      lines.push(JSON.parse(text) as LogLine)
    }
    for (const wake of waiters) wake()
  })
  return {
    lines,
    next(matches, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(matches)
          if (!found) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error('timed out waiting for a server log line'))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
  }
}
