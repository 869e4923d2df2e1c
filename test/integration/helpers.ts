import { existsSync, readFileSync } from 'node:fs'

/** Whether a pid is still a live process (a zombie counts as gone). */
export function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** A condition to poll: answered at once, or asynchronously (e.g. a question over IPC). */
type Check = () => boolean | Promise<boolean>

/** Polls `check` every 50 ms until it returns true or `ms` pass; returns its last answer. */
export async function waitFor(check: Check, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}

/**
 * Polls `check` every 50 ms for `ms`: true when it held at every poll, false
 * at the first poll where it did not (a condition that must last, not a snapshot).
 */
export async function holds(check: Check, ms: number): Promise<boolean> {
  return !(await waitFor(async () => !(await check()), ms))
}

/** Stops a topology and asserts that none of its processes outlives it (3 s grace). */
export async function stopAndCheck(running: { processes(): Array<{ pid: number }>; stop(): Promise<void> } | undefined): Promise<void> {
  const pids = running?.processes().map((p) => p.pid) ?? []
  await running?.stop()
  for (const pid of pids) {
    if (!(await waitFor(() => !alive(pid), 3000))) throw new Error(`process ${pid} outlived its topology`)
  }
}

/** CPU time (user + system, all threads) a process has used so far, in ms, from `/proc/<pid>/stat` fields 14–15 (proc(5); 10 ms ticks). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}
