/**
 * Samples CPU %, RSS and PSS of server processes from /proc, and the lab's own CPU
 * (the load generator runs in the lab's process), every `intervalMs`
 * (default 250 ms).
 *
 * CPU % is percent of one core: 100 means one core busy for the whole interval.
 * Linux only (the /proc root is lab/topology/procfs.ts's); on other systems the
 * server figures are empty and the results' `env.unavailable` says so.
 */
import { readFileSync } from 'node:fs'
import { procPath } from './procfs.js'
import type { RssReading } from '../core/results-memory.js'

/** One sample of one process. */
interface Sample {
  at: number // performance.now() ms
  cpuMs: number // cumulative user+system CPU time
  rssBytes: number
  /** Proportional set size: each page divided by the processes sharing it (`Pss:` of smaps_rollup, Linux 4.14+); absent when unreadable. */
  pssBytes?: number
}

// USER_HZ is 100 on every Linux ABI Node supports (see proc(5), "clock ticks").
const TICK_MS = 10

/** `Pss:` of /proc/<pid>/smaps_rollup in bytes (proc(5)), or undefined (older kernels, another user's process). */
function readPss(pid: number): number | undefined {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(procPath(pid, 'smaps_rollup'), 'latin1'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

function readProc(pid: number): Omit<Sample, 'at'> | undefined {
  try {
    const stat = readFileSync(procPath(pid, 'stat'), 'latin1')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    const status = readFileSync(procPath(pid, 'status'), 'latin1')
    const rss = /VmRSS:\s+(\d+) kB/.exec(status)
    const pss = readPss(pid)
    return { cpuMs: (utime + stime) * TICK_MS, rssBytes: rss ? Number(rss[1]) * 1024 : 0, ...(pss !== undefined ? { pssBytes: pss } : {}) }
  } catch {
    return undefined // the process is gone
  }
}

/** CPU and memory of one process over a window. */
export interface Usage {
  cpuPercent: { mean: number; max: number }
  rssBytes: { mean: number; max: number }
  /** Present when every sample read it. */
  pssBytes?: { mean: number; max: number }
}

function summarize(samples: Sample[], from: number, to: number): Usage | undefined {
  const inside = samples.filter((s) => s.at >= from && s.at <= to)
  // include the sample just before the window so its first interval counts
  const before = samples.filter((s) => s.at < from).at(-1)
  const series = before ? [before, ...inside] : inside
  if (series.length < 2) return undefined
  let max = 0
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1] as Sample
    const b = series[i] as Sample
    max = Math.max(max, ((b.cpuMs - a.cpuMs) / (b.at - a.at)) * 100)
  }
  const first = series[0] as Sample
  const last = series.at(-1) as Sample
  const rss = inside.length ? inside : series
  const pss = rss.map((x) => x.pssBytes).filter((x): x is number => x !== undefined)
  return {
    ...(pss.length === rss.length ? { pssBytes: { mean: pss.reduce((a, b) => a + b, 0) / pss.length, max: Math.max(...pss) } } : {}),
    cpuPercent: { mean: ((last.cpuMs - first.cpuMs) / (last.at - first.at)) * 100, max },
    rssBytes: {
      mean: rss.reduce((s, x) => s + x.rssBytes, 0) / rss.length,
      max: Math.max(...rss.map((x) => x.rssBytes)),
    },
  }
}

/** Periodic sampler of a changing set of pids plus the lab's own process. */
export class Sampler {
  private readonly samples = new Map<number, Sample[]>()
  private readonly self: Sample[] = []
  private timer: NodeJS.Timeout | undefined
  private pids: number[] = []

  constructor(private readonly intervalMs = 250) {}

  /** Sets the pids to sample from now on (a respawned worker gets sampled from its first tick). */
  watch(pids: number[]): void {
    this.pids = [...pids]
  }

  start(): void {
    this.tick()
    this.timer = setInterval(() => this.tick(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.tick()
  }

  /** Takes one sample now (also called at window edges so short windows have data). */
  tick(): void {
    const at = performance.now()
    for (const pid of this.pids) {
      const r = readProc(pid)
      if (!r) continue
      let list = this.samples.get(pid)
      if (!list) this.samples.set(pid, (list = []))
      list.push({ at, ...r })
    }
    const u = process.cpuUsage()
    this.self.push({ at, cpuMs: (u.user + u.system) / 1000, rssBytes: process.memoryUsage.rss() })
  }

  /** Usage of `pid` between `from` and `to` (performance.now() ms); undefined without two samples. */
  usage(pid: number, from: number, to: number): Usage | undefined {
    return summarize(this.samples.get(pid) ?? [], from, to)
  }

  /**
   * Every RSS reading of `pids` between `from` and `to` (performance.now() ms,
   * inclusive), pid by pid; none for a pid never read, nor for a zombie (an
   * exited process not yet reaped has no `VmRSS:` line, proc(5), and reads 0).
   */
  readings(pids: readonly number[], from: number, to: number): RssReading[] {
    const inside = (s: Sample) => s.at >= from && s.at <= to && s.rssBytes > 0
    return pids.flatMap((pid) => (this.samples.get(pid) ?? []).filter(inside).map((s) => ({ pid, at: s.at, rssBytes: s.rssBytes })))
  }

  /** The instants of every tick between `from` and `to` (performance.now() ms, inclusive), whatever it read. */
  instants(from: number, to: number): number[] {
    return this.self.filter((s) => s.at >= from && s.at <= to).map((s) => s.at)
  }

  /** Usage of the lab's own process (autocannon, the sampler, the progress bar). */
  selfUsage(from: number, to: number): Usage | undefined {
    return summarize(this.self, from, to)
  }

  /** Drops samples older than `before` to bound memory on long runs. */
  forget(before: number): void {
    for (const list of [...this.samples.values(), this.self]) {
      const keep = list.findIndex((s) => s.at >= before)
      if (keep > 1) list.splice(0, keep - 1)
    }
  }
}
