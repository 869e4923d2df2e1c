/**
 * Live events of one running level: turns the load driver's per-second
 * figures, the /proc sampler's CPU readings and the pre-fork master's worker
 * status into `sample` events (lab/core/events.ts).
 *
 * Only used when someone listens to `sample` events (lab/run/events.ts), so
 * a plain `lab run` asks its servers nothing extra.
 */
import { epochMs, type LiveProcess, type SampleEvent, type WorkerSample } from '../core/events.js'
import type { Level } from '../core/plan.js'
import type { LevelProgress } from '../load/driver.js'
import type { Sampler } from '../topology/sampler.js'
import type { RunningTopology, WorkerStatus } from '../topology/topology.js'

interface StatusSnapshot {
  at: number // performance.now() ms
  workers: WorkerStatus[]
}

/** Builds `sample` events for one level. */
export class LevelSamples {
  private readonly snapshots: StatusSnapshot[] = []
  private polling = false

  /**
   * @param emit - receives each sample
   */
  constructor(
    private readonly level: Level,
    private readonly topology: Pick<RunningTopology, 'processes' | 'status'>,
    private readonly sampler: Pick<Sampler, 'usage' | 'selfUsage'>,
    private readonly emit: (e: SampleEvent) => void,
  ) {}

  /** The driver's progress: polls the master's status (at most one question out), and emits a sample when a second ended. */
  progress(p: LevelProgress): void {
    this.poll()
    if (p.second) this.emit(this.sample(p.second))
  }

  private poll(): void {
    const ask = this.topology.status
    if (!ask || this.polling) return
    this.polling = true
    ask
      .call(this.topology)
      .then((workers) => {
        if (workers) this.snapshots.push({ at: performance.now(), workers })
        if (this.snapshots.length > 64) this.snapshots.splice(0, this.snapshots.length - 64)
      })
      .catch(() => {})
      .finally(() => (this.polling = false))
  }

  private workers(endedAt: number): WorkerSample[] | undefined {
    if (!this.topology.status) return undefined
    const inSecond = this.snapshots.filter((s) => s.at > endedAt - 1000 && s.at <= endedAt + 250)
    const last = inSecond.at(-1) ?? this.snapshots.at(-1)
    if (!last) return []
    return last.workers.map((w) => {
      const seen = inSecond.map((s) => s.workers.find((x) => x.pid === w.pid)).filter((x): x is WorkerStatus => x !== undefined)
      return {
        pid: w.pid,
        busy: w.busy,
        busyFraction: seen.length ? seen.filter((x) => x.busy).length / seen.length : w.busy ? 1 : 0,
        requests: w.requests,
      }
    })
  }

  private sample(s: NonNullable<LevelProgress['second']>): SampleEvent {
    const from = s.endedAt - 1000
    const processes = this.topology.processes().map((p): LiveProcess & { cpuPercent: number } => ({
      pid: p.pid,
      role: p.role,
      cpuPercent: this.sampler.usage(p.pid, from, s.endedAt)?.cpuPercent.mean ?? 0,
    }))
    const workers = this.workers(s.endedAt)
    return {
      type: 'sample',
      at: epochMs(s.endedAt),
      level: this.level.index,
      topology: this.level.topology,
      t: s.t,
      warmup: s.warmup === true,
      perSecond: s.perSecond,
      p50Ms: s.p50Ms,
      p99Ms: s.p99Ms,
      errors: s.errors,
      processes,
      loadGeneratorCpuPercent: this.sampler.selfUsage(from, s.endedAt)?.cpuPercent.mean ?? 0,
      ...(workers ? { workers } : {}),
    }
  }
}
