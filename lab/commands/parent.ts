/**
 * Noticing that the process which started the lab is gone.
 *
 * npm's `npx` does not pass a SIGTERM on to the program it runs: a process
 * manager stopping `npx lab run ...`, or `timeout 30 npx lab run ...`, ends
 * npx and leaves the lab (and every server it started) running. When a
 * process's parent dies, the kernel gives it a new parent (init, or the
 * nearest subreaper: getppid(2), PR_SET_CHILD_SUBREAPER in prctl(2)), so the
 * lab polls its parent pid and stops as on SIGTERM when it changes
 * (docs/architecture.md, "The flow of one run", step 9).
 */

/** How often the parent pid is read by default, ms: a run stops within this plus its teardown (SIGTERM, 3 s grace, SIGKILL). */
export const PARENT_POLL_MS = 500

/** Options of {@link watchParent}. */
export interface WatchParentOptions {
  /** Poll interval, ms (default {@link PARENT_POLL_MS}). */
  intervalMs?: number
  /** Test seam: reads the current parent pid (default `process.ppid`, which asks the kernel every time). */
  ppid?: () => number
}

/**
 * Calls `onGone` once, with the pid of the parent that was, when the
 * process's parent pid changes. The timer is unref'd: it never keeps the
 * process alive.
 * @returns stops watching (idempotent)
 */
export function watchParent(onGone: (parentPid: number) => void, opts: WatchParentOptions = {}): () => void {
  const read = opts.ppid ?? (() => process.ppid)
  const parent = read()
  const timer = setInterval(() => {
    if (read() === parent) return
    clearInterval(timer)
    onGone(parent)
  }, opts.intervalMs ?? PARENT_POLL_MS)
  timer.unref()
  return () => clearInterval(timer)
}
