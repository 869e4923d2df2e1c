/**
 * Worker exits and boots seen in the process table, for engines whose
 * masters the lab does not talk to (Gunicorn's arbiter, uWSGI's master,
 * Apache with mod_wsgi, Uvicorn): the engine's processes are listed every
 * {@link WATCH_INTERVAL_MS} (lab/topology/proc.ts reads them from /proc) and
 * compared with the list before; a pid that vanished is a `worker-exit`, a
 * new one a `worker-spawn`. The built-in servers tell the lab the same over
 * IPC (lab/servers/prefork.ts).
 *
 * Log lines cannot do this alone: Gunicorn 20.1's arbiter logs a worker killed
 * by a signal (`Worker with pid N was terminated due to signal S`) and a worker
 * that leaves through its own `finally` (`Worker exiting`), but not one that
 * ends with `os._exit(70)` (the workload's `crash_pct`): `Arbiter.reap_workers`
 * in gunicorn/arbiter.py 20.1.0 logs only boot and app-load errors by exit
 * code. So the table is the record of exits and boots; a log line about the
 * same pid only lends its words (the signal) to the event ({@link EventLog}).
 *
 * The time of an event is the poll that saw it, up to one interval late (and
 * a respawn that takes less than one interval shows as two events at the
 * same poll). An engine's log line about an exit or a boot triggers a poll
 * out of turn first, so an exit is never stamped after the boot that
 * replaced it; docs/measurement.md.
 */
import type { ProcessInfo, TopologyEvent } from '../engines/engine.js'

/** How often the process table is read, ms: the resolution of exit and boot times. */
export const WATCH_INTERVAL_MS = 100

/** The roles whose processes are watched: those that serve requests (a master's own exit is its group's exit). */
const WATCHED: ReadonlySet<ProcessInfo['role']> = new Set(['worker', 'server'])

/** A change between two lists of a part's processes. */
export interface ProcessChange {
  kind: 'worker-exit' | 'worker-spawn'
  pid: number
  role: ProcessInfo['role']
}

/**
 * What changed from `before` to `after` among the watched roles (`worker`,
 * `server`), exits first, each in ascending pid order. Pure.
 */
export function processChanges(before: readonly ProcessInfo[], after: readonly ProcessInfo[]): ProcessChange[] {
  const watched = (list: readonly ProcessInfo[]) => new Map(list.filter((p) => WATCHED.has(p.role)).map((p) => [p.pid, p.role]))
  const was = watched(before)
  const now = watched(after)
  const exits = [...was].filter(([pid]) => !now.has(pid)).map(([pid, role]) => ({ kind: 'worker-exit' as const, pid, role }))
  const spawns = [...now].filter(([pid]) => !was.has(pid)).map(([pid, role]) => ({ kind: 'worker-spawn' as const, pid, role }))
  const byPid = (a: ProcessChange, b: ProcessChange) => a.pid - b.pid
  return [...exits.sort(byPid), ...spawns.sort(byPid)]
}

/** The message of an event the table showed, e.g. `worker 123 exited (gone from the process table)`. */
export function changeMessage(c: ProcessChange): string {
  return c.kind === 'worker-exit' ? `${c.role} ${c.pid} exited (gone from the process table)` : `${c.role} ${c.pid} started (new in the process table)`
}

/** A running watch: {@link watchProcesses}. */
export interface ProcessWatch {
  /** Lists the processes now, out of turn (e.g. when a log line reports a boot, so the exit it replaces is recorded first). */
  poll(): void
  /** Stops watching (idempotent). */
  stop(): void
}

/**
 * Lists a part's processes every `intervalMs` (default {@link WATCH_INTERVAL_MS})
 * and calls `onChange` for each change from the previous list, starting from
 * `initial`. The timer is unref'd.
 */
export function watchProcesses(list: () => ProcessInfo[], initial: readonly ProcessInfo[], onChange: (c: ProcessChange) => void, intervalMs = WATCH_INTERVAL_MS): ProcessWatch {
  let last = [...initial]
  const poll = () => {
    const now = list()
    for (const c of processChanges(last, now)) onChange(c)
    last = now
  }
  const timer = setInterval(poll, intervalMs)
  timer.unref()
  return { poll, stop: () => clearInterval(timer) }
}

/**
 * A part's events, from two witnesses of the same exits and boots: the
 * process table and the engine's log. One event per (kind, pid): the first
 * witness sets its time, a log line (which says why: "killed by signal 9")
 * sets its message.
 */
export class EventLog {
  private readonly list: TopologyEvent[] = []
  private readonly byKey = new Map<string, TopologyEvent>()

  /** Adds what the process table showed at `at` (performance.now() ms). */
  fromTable(c: ProcessChange, at: number): void {
    const key = `${c.kind}:${c.pid}`
    if (this.byKey.has(key)) return
    this.push(key, { at, kind: c.kind, pid: c.pid, message: changeMessage(c) })
  }

  /** Adds what a log line said at `at`; an exit or boot the table showed already keeps its time and takes the line's message. */
  fromLog(e: Omit<TopologyEvent, 'at'>, at: number): void {
    const key = (e.kind === 'worker-exit' || e.kind === 'worker-spawn') && e.pid !== undefined ? `${e.kind}:${e.pid}` : undefined
    const seen = key ? this.byKey.get(key) : undefined
    if (seen) {
      seen.message = e.message
      return
    }
    this.push(key, { at, ...e })
  }

  /** Every event, in the order first seen. */
  events(): TopologyEvent[] {
    return this.list
  }

  private push(key: string | undefined, e: TopologyEvent): void {
    this.list.push(e)
    if (key) this.byKey.set(key, e)
  }
}
