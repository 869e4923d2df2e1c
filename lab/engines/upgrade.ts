/**
 * Binary upgrade on the fly, Gunicorn's way (Gunicorn 20.1,
 * https://docs.gunicorn.org/en/20.1.0/signals.html, "Upgrading to a new
 * binary on the fly"): `USR2` to the master makes it fork a new master that
 * execs the same command line (the new binary and code) with the listening
 * sockets inherited (`Arbiter.reexec()` in gunicorn/arbiter.py 20.1.0: the
 * child gets `GUNICORN_PID` and `GUNICORN_FD` in its environment); both
 * masters and their workers then accept on the same sockets. The docs' next
 * step, `WINCH` to the old master, stops its workers only when Gunicorn is
 * daemonized (`Arbiter.handle_winch`: *"SIGWINCH ignored. Not daemonized"*),
 * and the lab runs it in the foreground; so the old master gets `TERM`, its
 * graceful stop (`handle_term` → `halt()` → `stop(graceful=True)`: workers
 * get `SIGTERM` and finish the request in hand within `graceful_timeout`).
 * The new master, whose parent is gone, promotes itself
 * (`Arbiter.maybe_promote_master`). Both stay in the process group the lab
 * started, so teardown reaches the new master by the group id.
 */
import { readFileSync } from 'node:fs'
import { childrenOf, isAlive } from '../topology/proc.js'

/**
 * Whether `pid` is a new master that `parent` forked and exec'd on `USR2`:
 * its environment at exec holds `GUNICORN_PID=<parent>`. (The new master's
 * own workers inherit that environment, with the old master's pid, not
 * their parent's.) False when it cannot be read.
 */
export function isReexecMaster(pid: number, parent: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`GUNICORN_PID=${parent}`)
  } catch {
    return false
  }
}

/** How {@link binaryUpgrade} reaches processes (tests pass fakes). */
export interface UpgradeDeps {
  children(pid: number): number[]
  isNewMaster(pid: number, parent: number): boolean
  alive(pid: number): boolean
  kill(pid: number, signal: NodeJS.Signals): void
}

const realDeps: UpgradeDeps = { children: childrenOf, isNewMaster: isReexecMaster, alive: isAlive, kill: (pid, s) => process.kill(pid, s) }

async function until<T>(what: () => T | undefined, deadline: number, failure: string): Promise<T> {
  for (;;) {
    const v = what()
    if (v !== undefined) return v
    if (performance.now() > deadline) throw new Error(failure)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * `USR2` to `master`, waits until the new master it forks has `workers`
 * workers of its own, then `TERM` to the old master and waits until it is
 * gone. Calls `mark` at each step (the timeline's `deploy` events).
 * @param master - the old master's pid
 * @param workers - how many workers the new master must have before the old one is stopped
 * @param timeoutMs - for each wait
 * @returns the new master's pid
 * @throws Error when no new master with its workers appears, or the old master does not exit, within `timeoutMs`
 */
export async function binaryUpgrade(master: number, workers: number, timeoutMs: number, mark: (message: string) => void, deps: UpgradeDeps = realDeps): Promise<number> {
  mark(`deploy: SIGUSR2 to the master ${master} (binary upgrade: a new master starts beside the old one)`)
  deps.kill(master, 'SIGUSR2')
  const newMaster = await until(
    () => deps.children(master).find((c) => deps.isNewMaster(c, master) && deps.children(c).length >= workers),
    performance.now() + timeoutMs,
    `no new master with ${workers} workers appeared within ${timeoutMs} ms of SIGUSR2 to ${master}`,
  )
  mark(`deploy: new master ${newMaster} serving with ${workers} workers; SIGTERM to the old master ${master} (its workers finish their requests)`)
  deps.kill(master, 'SIGTERM')
  await until(() => (deps.alive(master) ? undefined : true), performance.now() + timeoutMs, `the old master ${master} did not exit within ${timeoutMs} ms of SIGTERM`)
  mark(`deploy: old master ${master} gone; the new master ${newMaster} serves alone`)
  return newMaster
}
