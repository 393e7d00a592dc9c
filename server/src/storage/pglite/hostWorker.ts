/**
 * The thread of the PGlite host process that owns the database: claims the data directory
 * (`dataDirClaim.ts`), opens it, and runs the `HostRequest`s its process's main thread
 * (`hostMain.mjs`) relays, in arrival order, while that thread keeps reading what the server sends.
 * On `drain` (the server is gone) or `close` it rolls back open transactions, finishes every other
 * request, closes the database, releases the directory and says so.
 */
import { mkdir } from 'node:fs/promises'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { claimDataDir } from './dataDirClaim'
import type { HostError, HostReply, HostRequest, WorkerRequest } from './hostProtocol'

/** How long a new host waits for the host of a stopped server to finish its writes. */
const ORPHAN_WAIT_MS = 120_000

const BYTEA_OID = 17

/**
 * bytea through Buffer's native hex codec: PGlite's own (a loop in JavaScript) takes seconds for a
 * few megabytes (3 MiB here: insert 2.2 s → 0.5 s, select 0.7 s → 0.08 s).
 */
const byteaCodec = {
  serializers: {
    [BYTEA_OID]: (value: unknown) => {
      const bytes = value as Uint8Array
      return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
    },
  },
  parsers: {
    [BYTEA_OID]: (text: string) => {
      const bytes = Buffer.from(text.slice(2), 'hex')
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    },
  },
}

interface OpenTransaction {
  tx: Transaction
  finish: (commit: boolean) => void
}

const ROLLBACK = Symbol('rollback')

function toHostError(error: unknown): HostError {
  if (!(error instanceof Error)) return { message: String(error) }
  const fields = error as Error & { code?: unknown; detail?: unknown; constraint?: unknown }
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
  return {
    message: error.message,
    code: text(fields.code),
    detail: text(fields.detail),
    constraint: text(fields.constraint),
  }
}

const port = parentPort!
const send = (reply: HostReply) => port.postMessage(reply)

async function open(directory: string): Promise<{ db: PGlite; release: () => Promise<void> }> {
  if (directory.startsWith('memory://'))
    return { db: await PGlite.create(directory, byteaCodec), release: async () => {} }
  await mkdir(directory, { recursive: true })
  const release = await claimDataDir(directory, ORPHAN_WAIT_MS)
  try {
    return { db: await PGlite.create(directory, byteaCodec), release }
  } catch (error) {
    await release()
    throw error
  }
}

async function serve(directory: string): Promise<void> {
  const started = performance.now()
  const { db, release } = await open(directory)
  const transactions = new Map<number, OpenTransaction>()
  /** Each open transaction's end: resolves once committed or rolled back. */
  const endings = new Map<number, Promise<void>>()
  const inFlight = new Set<Promise<void>>()
  let stopping: Promise<void> | undefined

  const target = (tx: number | undefined) => {
    if (tx === undefined) return db
    const open = transactions.get(tx)
    if (!open) throw new Error(`transaction ${tx} is not open`)
    return open.tx
  }

  const begin = (id: number) =>
    new Promise<void>((opened, failed) => {
      let finish: (commit: boolean) => void = () => {}
      const decided = new Promise<boolean>((resolve) => (finish = resolve))
      const done = db
        .transaction(async (tx) => {
          transactions.set(id, { tx, finish })
          opened()
          // Once the server is gone nobody will commit: a transaction that opens now ends at once.
          if (stopping || !(await decided)) throw ROLLBACK
        })
        .catch((error: unknown) => {
          if (error !== ROLLBACK) throw error
        })
        .finally(() => {
          transactions.delete(id)
          endings.delete(id)
        })
      endings.set(id, done)
      done.catch(failed)
    })

  const end = async (tx: number, commit: boolean) => {
    const open = transactions.get(tx)
    if (!open) throw new Error(`transaction ${tx} is not open`)
    open.finish(commit)
    await endings.get(tx)
  }

  const handle = async (request: Exclude<HostRequest, { op: 'close' }>): Promise<object[] | undefined> => {
    switch (request.op) {
      case 'query':
        return (await target(request.tx).query<object>(request.text, request.params)).rows
      case 'exec':
        await target(request.tx).exec(request.script)
        return undefined
      case 'begin':
        await begin(request.id)
        return [{ tx: request.id }] // the transaction is named after the request that opened it
      case 'commit':
      case 'rollback':
        await end(request.tx, request.op === 'commit')
        return undefined
    }
  }

  /** Finishes what was received and closes the database (then answers `closeId`, if any). */
  const stop = (closeId?: number): Promise<void> => {
    stopping ??= (async () => {
      for (const open of transactions.values()) open.finish(false)
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
      await db.close().catch(() => {})
      await release()
      if (closeId !== undefined) send({ id: closeId, ok: true })
      send({ closed: true })
    })()
    return stopping
  }

  port.on('message', (request: WorkerRequest) => {
    if (request.op === 'close' || request.op === 'drain') {
      void stop(request.op === 'close' ? request.id : undefined)
      return
    }
    const work = handle(request).then(
      (rows) => send(rows ? { id: request.id, ok: true, rows } : { id: request.id, ok: true }),
      (error: unknown) => send({ id: request.id, ok: false, error: toHostError(error) }),
    )
    inFlight.add(work)
    void work.finally(() => inFlight.delete(work))
  })
  send({ ready: true, openMs: Math.round(performance.now() - started) })
}

serve(workerData as string).catch((error: unknown) => send({ ready: false, error: toHostError(error) }))
