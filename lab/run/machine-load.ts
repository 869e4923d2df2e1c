/**
 * What other processes on the machine took while a level ran: the busy time
 * of every CPU (`/proc/stat`, first line: user + nice + system + irq +
 * softirq + steal; proc(5)) less what the level's own processes used (the
 * servers and the lab, which runs the load generator), in percent of one
 * core. On a machine shared with other work this is CPU the servers did not
 * get; the "this machine" prediction leaves it out of their cores
 * (lab/run/result.ts).
 */
import { readFileSync } from 'node:fs'

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux ABI Node supports (proc(5), "clock ticks"). */
const TICK_MS = 10

/** A reading of the machine's CPU time. */
export interface CpuTimes {
  /** `performance.now()` ms when read. */
  at: number
  /** Busy CPU time of all CPUs together so far, ms. */
  busyMs: number
}

/**
 * Parses the first (`cpu`) line of /proc/stat into busy milliseconds.
 * @returns undefined for text without it
 */
export function parseBusyMs(stat: string): number | undefined {
  const m = /^cpu\s+(.*)$/m.exec(stat)
  if (!m?.[1]) return undefined
  const f = m[1].trim().split(/\s+/).map(Number)
  // user nice system idle iowait irq softirq steal: all but idle and iowait are busy
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (f[i] ?? 0), 0)
  return busy * TICK_MS
}

/** Reads the machine's busy CPU time now; undefined where /proc/stat is not there. */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    const busyMs = parseBusyMs(readFileSync('/proc/stat', 'utf8'))
    return busyMs === undefined ? undefined : { at: performance.now(), busyMs }
  } catch {
    return undefined
  }
}

/**
 * CPU other processes used between two readings, percent of one core: the
 * machine's busy time less `oursPercent` (the level's servers and the lab
 * over the same span), never below 0.
 * @returns undefined without two readings or with no time between them
 */
export function otherCpuPercent(before: CpuTimes | undefined, after: CpuTimes | undefined, oursPercent: number): number | undefined {
  if (!before || !after || !(after.at > before.at)) return undefined
  const busyPercent = ((after.busyMs - before.busyMs) / (after.at - before.at)) * 100
  return Math.max(0, busyPercent - oursPercent)
}
