/**
 * SqlClient over embedded PGlite (the default when DATABASE_URL is unset). PGlite runs in its own
 * process (`pglite/hostMain.mjs`), so a multi-megabyte write never stalls this server's event loop,
 * and what the server handed over is still written if the server is killed. One host per client;
 * a host that dies is replaced on the next request (its pending requests fail). Owns: the host
 * process. Must not touch: the SQL itself.
 */
import { type ChildProcess, fork } from 'node:child_process'
import type { Logger } from '../logger'
import type { HostError, HostReply, HostRequest } from './pglite/hostProtocol'
import type { SqlClient, SqlQueryable } from './sqlClient'

/** How long `close()` waits for the host to finish its writes before it is killed. */
const HOST_CLOSE_TIMEOUT_MS = 60_000

type Request = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never
type Pending = { resolve: (rows: object[]) => void; reject: (error: Error) => void }

function toError(error: HostError): Error {
  const { message, ...fields } = error
  return Object.assign(new Error(message), fields)
}

class PgliteHost {
  private child: Promise<ChildProcess> | undefined
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private closing = false

  constructor(
    private readonly directory: string,
    private readonly log: Logger,
  ) {}

  /** Starts the host and waits until its database is open. */
  start(): Promise<ChildProcess> {
    this.child ??= this.spawn().catch((error: unknown) => {
      this.child = undefined
      throw error
    })
    return this.child
  }

  async request(request: Request): Promise<object[]> {
    if (this.closing) throw new Error('the database is closed')
    const child = await this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.holdOpen(child)
      child.send({ ...request, id } as HostRequest)
    })
  }

  async close(): Promise<void> {
    if (this.closing) return
    const child = await this.child?.catch(() => undefined)
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      const sent = this.request({ op: 'close' }).catch(() => [])
      this.closing = true
      const killer = setTimeout(() => child.kill('SIGKILL'), HOST_CLOSE_TIMEOUT_MS)
      await sent
      await exited
      clearTimeout(killer)
    }
    this.closing = true
  }

  private async spawn(): Promise<ChildProcess> {
    // No inherited flags (tsx or vitest loaders): the relay needs none, its thread registers its own.
    const child = fork(new URL('./pglite/hostMain.mjs', import.meta.url), [this.directory], {
      execArgv: [],
      serialization: 'advanced',
      // The server's stdout carries its JSON logs: the host's output goes to stderr.
      stdio: ['ignore', 2, 2, 'ipc'],
    })
    const ready = await new Promise<Extract<HostReply, { ready: boolean }>>((resolve, reject) => {
      const onMessage = (reply: HostReply) => {
        if (!('ready' in reply)) return
        child.off('message', onMessage)
        resolve(reply)
      }
      child.on('message', onMessage)
      child.once('exit', (code, signal) =>
        reject(new Error(`the PGlite host exited (${signal ?? code}) before opening ${this.directory}`)),
      )
    })
    if (!ready.ready) {
      child.kill('SIGKILL')
      throw toError(ready.error)
    }
    this.log.info({ pid: child.pid, openMs: ready.openMs }, 'PGlite host ready')
    child.on('message', (reply: HostReply) => this.settle(child, reply))
    child.once('exit', (code, signal) => {
      if (this.child) this.child = undefined
      this.failAll(new Error(`the PGlite host exited (${signal ?? code})`))
      if (!this.closing)
        this.log.error({ code, signal }, 'PGlite host exited; the next query starts a new one')
    })
    this.holdOpen(child)
    return child
  }

  private settle(child: ChildProcess, reply: HostReply): void {
    if (!('id' in reply)) return
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    this.holdOpen(child)
    if (reply.ok) pending.resolve(reply.rows ?? [])
    else pending.reject(toError(reply.error))
  }

  /** The host keeps this process alive only while requests are pending. */
  private holdOpen(child: ChildProcess): void {
    if (this.pending.size > 0) {
      child.ref()
      child.channel?.ref()
    } else {
      child.unref()
      child.channel?.unref()
    }
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}

function queryable(host: PgliteHost, tx?: number): SqlQueryable {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      return (await host.request({ op: 'query', text, params: [...params], tx })) as Row[]
    },
    async exec(script: string) {
      await host.request({ op: 'exec', script, tx })
    },
  }
}

/** Opens (creating if needed) the PGlite database in `directory`; `memory://` keeps it in memory. */
export async function openPglite(directory: string, log: Logger): Promise<SqlClient> {
  const host = new PgliteHost(directory, log)
  await host.start()
  return {
    kind: 'pglite',
    ...queryable(host),
    async transaction(fn) {
      const [opened] = (await host.request({ op: 'begin' })) as Array<{ tx: number }>
      const tx = opened!.tx
      let result: Awaited<ReturnType<typeof fn>>
      try {
        result = await fn(queryable(host, tx))
      } catch (error) {
        await host.request({ op: 'rollback', tx }).catch(() => {})
        throw error
      }
      await host.request({ op: 'commit', tx })
      return result
    },
    close: () => host.close(),
  }
}
