import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { claimDataDir } from './dataDirClaim'

/** A process that runs until killed, standing in for a host. */
function longRunning(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.once('exit', resolve))
  return child.pid!
}

describe('claimDataDir', () => {
  const started: ChildProcess[] = []
  const directories: string[] = []
  afterEach(async () => {
    for (const child of started.splice(0)) child.kill('SIGKILL')
    for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true })
  })

  async function dataDir(): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'drawbridge-claim-'))
    directories.push(root)
    await mkdir(join(root, 'pglite.hosts'))
    return join(root, 'pglite')
  }

  it('waits until the host of a dead server has exited, then registers', async () => {
    const directory = await dataDir()
    const orphan = longRunning()
    started.push(orphan)
    await writeFile(join(`${directory}.hosts`, String(orphan.pid)), String(await deadPid()))

    let claimed = false
    const claim = claimDataDir(directory, 60_000).then((release) => {
      claimed = true
      return release
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(claimed).toBe(false)
    orphan.kill('SIGKILL')
    const release = await claim
    expect(await readdir(`${directory}.hosts`)).toEqual([String(process.pid)])
    await release()
    expect(await readdir(`${directory}.hosts`)).toEqual([])
  })

  it('does not wait for hosts of live servers, and forgets hosts that exited', async () => {
    const directory = await dataDir()
    const sibling = longRunning()
    started.push(sibling)
    await writeFile(join(`${directory}.hosts`, String(sibling.pid)), String(process.pid))
    const gone = await deadPid()
    await writeFile(join(`${directory}.hosts`, String(gone)), String(process.pid))

    const release = await claimDataDir(directory, 60_000)
    expect((await readdir(`${directory}.hosts`)).sort()).toEqual(
      [String(process.pid), String(sibling.pid)].sort(),
    )
    await release()
  })

  it('gives up with a clear error when an orphan does not exit in time', async () => {
    const directory = await dataDir()
    const orphan = longRunning()
    started.push(orphan)
    await writeFile(join(`${directory}.hosts`, String(orphan.pid)), String(await deadPid()))
    await expect(claimDataDir(directory, 200)).rejects.toThrow(/of a stopped server still hold/)
  })
})
