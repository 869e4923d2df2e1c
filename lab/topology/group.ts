/**
 * Process groups the lab starts, and their teardown.
 *
 * Every server (and its workers) runs in its own process group
 * (`detached: true`), so teardown reaches the whole tree with one signal:
 * SIGTERM to the group, SIGKILL after a grace period. A registry of live
 * groups lets Ctrl-C, SIGTERM, an exception or a plain exit of the lab end
 * with none of them left.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { groupMembers } from './proc.js'

/** A child process leading its own process group. */
export interface Group {
  child: ChildProcess
  pid: number
  /** Last lines the child wrote to stdout and stderr (for error messages). */
  tail(): string
  /** Resolves when the leader has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /**
   * SIGTERM to the group, SIGKILL to the group after `graceMs` (default 3000 ms); idempotent.
   * After {@link Group.handOver} the leader may be gone: the group's members (the new master and its workers) get the same.
   */
  stop(graceMs?: number): Promise<void>
  /**
   * The leader is about to leave the group to a process it forked (a binary
   * upgrade: Gunicorn's `USR2`, whose new master is forked from the old one
   * and keeps its process group): its exit no longer kills the group, and
   * {@link Group.stop} still stops every member by the group id, whoever
   * their parent is after the leader is gone.
   */
  handOver(): void
}

const live = new Set<Group>()

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group is gone already
  }
}

/**
 * Starts `command args` as the leader of a new process group.
 * @param ipc - open an IPC channel (for Node children that report readiness with `process.send`)
 * @throws Error when the command cannot be spawned
 */
export function startGroup(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; ipc?: boolean } = {}): Group {
  const options: SpawnOptions = {
    detached: true,
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  }
  const child = spawn(command, args, options)
  // a failed spawn (ENOENT, EACCES) emits 'error' on the next tick: without a listener it would end the lab
  child.on('error', () => {})
  if (child.pid === undefined) throw new Error(`could not start ${command} (not found or not executable)`)
  const pid = child.pid
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line)
    if (lines.length > 40) lines.splice(0, lines.length - 40)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  let stopping: Promise<void> | undefined
  let handedOver = false
  const leaderAlive = () => child.exitCode === null && child.signalCode === null
  const group: Group = {
    child,
    pid,
    tail: () => lines.join('\n'),
    exited,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (leaderAlive()) {
          signalGroup(pid, 'SIGTERM')
          let timer: NodeJS.Timeout | undefined
          await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))])
          clearTimeout(timer)
        } else if (handedOver && groupMembers(pid).length > 0) {
          // the leader handed the group over and left: its members get the same grace
          signalGroup(pid, 'SIGTERM')
          for (const deadline = performance.now() + graceMs; groupMembers(pid).length > 0 && performance.now() < deadline; ) await new Promise((r) => setTimeout(r, 20))
        }
        // The leader may be gone while members (workers) linger: clear the whole group.
        signalGroup(pid, 'SIGKILL')
        await exited
        // a killed member runs until the scheduler lets it die (long on a loaded machine): wait until none is left, at most 5 s
        for (const deadline = performance.now() + 5000; groupMembers(pid).length > 0 && performance.now() < deadline; ) await new Promise((r) => setTimeout(r, 10))
        live.delete(group)
      })()
      return stopping
    },
    handOver() {
      handedOver = true
    },
  }
  live.add(group)
  exited.then(() => {
    if (!stopping && !handedOver) signalGroup(pid, 'SIGKILL')
  })
  return group
}

/** Stops every live group (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopAllGroups(graceMs = 3000): Promise<void> {
  await Promise.all([...live].map((g) => g.stop(graceMs)))
}

/** Synchronous last resort for `process.on('exit')`: SIGKILL every live group. */
export function killAllGroupsNow(): void {
  for (const g of live) signalGroup(g.pid, 'SIGKILL')
  live.clear()
}

/** How many groups are live (for tests). */
export function liveGroupCount(): number {
  return live.size
}
