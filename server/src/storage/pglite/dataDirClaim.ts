/**
 * Who may open a PGlite data directory: each host process registers itself in `<dir>.hosts/`
 * (a file named after its pid holding its server's pid). A host whose server has died (SIGKILL,
 * crash) keeps running until it has finished the writes it was given; a new host waits for such
 * orphans to exit before it opens the directory, so a restarted server reads what the old one
 * stored and never writes beside it. Hosts of live servers are not waited for (tests run several
 * servers on one directory; production runs one). Owns: the `.hosts` directory. Linux/macOS pids.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** How often a waiting host looks again whether the orphans have exited. */
const ORPHAN_POLL_MS = 50

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** True while `pid` runs (a zombie, exited but not yet reaped, counts as gone). */
async function isRunning(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true // no procfs (macOS): kill(0) is all we know
  }
}

/** Pids of hosts still running for a server that is gone. Removes entries of exited hosts. */
async function orphanedHosts(holders: string): Promise<number[]> {
  const orphans: number[] = []
  for (const name of await readdir(holders)) {
    const pid = Number(name)
    if (pid === process.pid) continue
    if (!(await isRunning(pid))) {
      await rm(join(holders, name), { force: true })
      continue
    }
    const serverPid = Number(await readFile(join(holders, name), 'utf8').catch(() => ''))
    if (!(await isRunning(serverPid))) orphans.push(pid)
  }
  return orphans
}

/**
 * Waits (up to `waitMs`) until no orphaned host holds `directory`, then registers this process.
 * Resolves with the function that unregisters it.
 */
export async function claimDataDir(directory: string, waitMs: number): Promise<() => Promise<void>> {
  const holders = `${directory}.hosts`
  await mkdir(holders, { recursive: true })
  const deadline = Date.now() + waitMs
  for (;;) {
    const orphans = await orphanedHosts(holders)
    if (orphans.length === 0) break
    if (Date.now() > deadline) {
      throw new Error(
        `the database host(s) ${orphans.join(', ')} of a stopped server still hold ${directory} after ${waitMs} ms`,
      )
    }
    await sleep(ORPHAN_POLL_MS)
  }
  const entry = join(holders, String(process.pid))
  await writeFile(entry, String(process.ppid))
  return () => rm(entry, { force: true })
}
