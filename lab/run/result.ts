/**
 * A level's entry in the results' `runs`: the load driver's measurement, the
 * /proc samples of each server process and of the lab itself, the topology's
 * process events, Little's law, and the model's prediction beside it
 * (docs/results-schema.md).
 */
import type { Level } from '../core/plan.js'
import type { RunResult } from '../core/results.js'
import type { TopologyDef, Workload } from '../core/scenario.js'
import { isFinitePrediction, meanRespawnMs, predictLevel, proxyCpuMs } from '../core/model.js'
import { cpuPerResponseUs, littlesLaw } from '../core/stats.js'
import type { LevelMeasurement } from '../load/driver.js'
import type { Sampler } from '../topology/sampler.js'
import type { RunningTopology } from '../topology/topology.js'

/**
 * Builds a level's entry in `runs` from the measurement and the /proc samples
 * over its measured window. A process with fewer than two samples in the
 * window reads 0 % CPU and 0 bytes.
 */
export function toRunResult(
  level: Level,
  m: LevelMeasurement,
  topology: Pick<RunningTopology, 'engines' | 'processes' | 'events'> & { app?: string },
  sampler: Pick<Sampler, 'usage' | 'selfUsage'> | undefined,
): RunResult {
  const zero = { mean: 0, max: 0 }
  const processes = topology.processes().map((p) => {
    const u = sampler?.usage(p.pid, m.windowStart, m.windowEnd)
    return {
      role: p.role,
      pid: p.pid,
      cpuPercent: u?.cpuPercent ?? zero,
      rssBytes: u?.rssBytes ?? zero,
      requests: m.perWorker[String(p.pid)] ?? 0,
    }
  })
  const self = sampler?.selfUsage(m.windowStart, m.windowEnd)
  const events = topology
    .events()
    .filter((e) => e.at >= m.loadStartedAt && e.at <= m.windowEnd)
    .map((e) => ({ t: (e.at - m.loadStartedAt) / 1000, kind: e.kind, ...(e.pid ? { pid: e.pid } : {}), message: e.message }))
  return {
    topology: level.topology,
    workload: level.workload,
    connections: level.connections,
    repeat: level.repeat,
    engines: topology.engines,
    ...(topology.app ? { app: topology.app } : {}),
    cpuPerResponseUs: cpuPerResponseUs(processes, m.window.measuredS, m.requests.ok ?? m.requests.total - m.errors.non2xx),
    durationS: m.window.measuredS,
    window: m.window,
    requests: m.requests,
    latencyMs: m.latencyMs,
    histogram: m.histogram,
    errors: m.errors,
    timeline: m.timeline,
    processes,
    loadGenerator: { cpuPercent: self?.cpuPercent ?? zero },
    // an open loop's connections are a bound, not its population: Little's law has no N to check against
    littlesLaw: m.open
      ? { expectedMeanMs: null, measuredMeanMs: m.requests.total > 0 ? m.latencyMs.mean : null, ratio: null }
      : littlesLaw(level.connections, m.requests.perSecond.mean, m.requests.total > 0 ? m.latencyMs.mean : null),
    ...(events.length ? { events } : {}),
    ...(m.perUpstream ? { perUpstream: m.perUpstream } : {}),
    ...(m.perKind ? { perKind: m.perKind } : {}),
    ...(m.open ? { mode: 'open' as const, openLoop: m.open } : {}),
  }
}

/**
 * The model's prediction for a measured level (lab/core/model.ts), fed what
 * the level itself measured: the load generator's CPU (%), the workers'
 * respawn time (ms) and the proxy's CPU per request (ms).
 * @param cores - the machine's cores (`env.cores`)
 * @param timeoutS - the client's timeout (s): when the model says nothing is
 *   answered, every client waits that long, so the prediction is 0 req/s at
 *   `timeoutS * 1000` ms
 * @returns the prediction, or undefined when the model cannot back one
 */
export function predictionFor(
  def: TopologyDef,
  workload: Workload,
  run: RunResult,
  cores: number,
  timeoutS: number,
): RunResult['prediction'] | undefined {
  const proxyCpu = run.processes.filter((p) => p.role === 'proxy').reduce((sum, p) => sum + p.cpuPercent.mean, 0)
  const prediction = predictLevel(
    def,
    workload,
    run.connections,
    cores,
    run.loadGenerator.cpuPercent.mean,
    meanRespawnMs(run.events ?? []),
    proxyCpuMs(proxyCpu, run.requests.perSecond.mean),
    timeoutS,
  )
  if (isFinitePrediction(prediction)) return prediction
  // nothing answered: a client waits until it gives up, at its timeout
  if (prediction.perSecond === 0) return { perSecond: 0, meanMs: timeoutS * 1000 }
  return undefined
}
