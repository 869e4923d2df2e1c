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
