/**
 * CPU placement (issue 11, "CPU placement"): on a machine of 4 or more cores
 * the load generator (the lab's own process: autocannon runs in it) and the
 * servers run on disjoint CPU sets, so the client does not take the servers'
 * CPU; on fewer they share every core, the results say so, and the
 * calibrated model (lab/core/calibrated.ts) gives the servers only the CPU
 * the client leaves them.
 *
 * Pinning is done with `taskset -a -p -c <list> <pid>` (util-linux; it calls
 * sched_setaffinity(2) for every thread of the process). A pre-fork master's
 * workers inherit its set when they are forked, and the lab pins each
 * server process it knows of before each level, so respawned workers are
 * covered too.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { PIN_FROM_CORES, formatCpuList, placementNote } from '../core/placement.js'
import type { Placement } from '../core/results.js'

export { PIN_FROM_CORES, formatCpuList }

/**
 * Parses a CPU list (`0-3,8,10-11`, as in `Cpus_allowed_list` of
 * /proc/<pid>/status) into CPU numbers, ascending.
 * @throws RangeError for text that is not a CPU list
 */
export function parseCpuList(text: string): number[] {
  const out = new Set<number>()
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim())
    if (!m) throw new RangeError(`not a CPU list: ${JSON.stringify(text)}`)
    const a = Number(m[1])
    const b = m[2] === undefined ? a : Number(m[2])
    for (let c = a; c <= b; c++) out.add(c)
  }
  return [...out].sort((x, y) => x - y)
}


/**
 * Where the client and the servers run, from the CPUs the lab may use: with
 * fewer than {@link PIN_FROM_CORES} they share them all; otherwise the client
 * gets a quarter of them (at least one: autocannon drives every connection
 * from one thread, and the rest of the lab needs little), the servers the rest.
 */
export function placementFor(cpus: readonly number[]): Placement {
  if (cpus.length < PIN_FROM_CORES) {
    const shared = { mode: 'shared' as const, client: [...cpus], servers: [...cpus] }
    // the note in English, as the results document keeps it (lab/core/placement.ts shows it in the reader's language)
    return { ...shared, note: placementNote(shared, 'en') }
  }
  const n = Math.max(1, Math.floor(cpus.length / 4))
  const client = cpus.slice(0, n)
  const servers = cpus.slice(n)
  const pinned = { mode: 'pinned' as const, client, servers }
  return { ...pinned, note: placementNote(pinned, 'en') }
}

/** The CPUs this process may run on (`Cpus_allowed_list`), or 0..count−1 where /proc does not say. */
export function allowedCpus(count: number): number[] {
  try {
    const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m?.[1]) return parseCpuList(m[1])
  } catch {
    // not Linux
  }
  return Array.from({ length: count }, (_, i) => i)
}

/**
 * Pins every thread of each process to `cpus` (`taskset -a -p -c`).
 * @throws Error with taskset's message when it fails (not installed, a process gone)
 */
export async function pin(pids: readonly number[], cpus: readonly number[]): Promise<void> {
  const list = formatCpuList(cpus)
  await Promise.all(
    pids.map(
      (pid) =>
        new Promise<void>((resolve, reject) =>
          execFile('taskset', ['-a', '-p', '-c', list, String(pid)], (err, _out, stderr) => (err ? reject(new Error(`taskset -a -p -c ${list} ${pid}: ${stderr.trim() || err.message}`)) : resolve())),
        ),
    ),
  )
}
