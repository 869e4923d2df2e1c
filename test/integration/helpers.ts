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

/** Polls `check` every 50 ms until it returns true or `ms` pass; returns its last answer. */
export async function waitFor(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
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
