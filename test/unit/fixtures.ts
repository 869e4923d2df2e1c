import type { RunResult } from '../../lab/core/results.js'

/** A level of a closed loop that obeys Little's law: `connections` at `perSecond` req/s. */
export function makeRun(over: Partial<RunResult> & { perSecond?: number; meanMs?: number } = {}): RunResult {
  const connections = over.connections ?? 32
  const perSecond = over.perSecond ?? 80
  const meanMs = over.meanMs ?? (connections * 1000) / perSecond
  const { perSecond: _p, meanMs: _m, ...rest } = over
  return {
    topology: 'prefork',
    workload: 'io-bound',
    connections,
    repeat: 0,
    engines: { server: 'node-prefork', proxy: null },
    durationS: 3,
    // three whole seconds with σ 0.5 req/s: a Student's t interval of ± t(0.975; 2) · 0.5 / √3
    requests: {
      total: Math.round(perSecond * 3),
      perSecond: { mean: perSecond, stddev: 0.5, min: perSecond - 1, max: perSecond + 1, n: 3, ci95: [perSecond - (4.302653 * 0.5) / Math.sqrt(3), perSecond + (4.302653 * 0.5) / Math.sqrt(3)], method: 'student-t', stdError: 0.5 / Math.sqrt(3), df: 2 },
    },
    latencyMs: { mean: meanMs, stddev: 1, min: 50, p50: meanMs, p90: meanMs + 1, p99: meanMs + 2, p999: meanMs + 3, max: meanMs + 4 },
    histogram: [[50, 0], [meanMs, 50], [meanMs + 4, 100]],
    errors: { total: 0, timeouts: 0, resets: 0, non2xx: 0, byStatus: { '200': Math.round(perSecond * 3) } },
    timeline: [{ t: 1, perSecond, p50Ms: meanMs, p99Ms: meanMs + 2, errors: 0 }],
    processes: [{ role: 'worker', pid: 10, cpuPercent: { mean: 2, max: 4 }, rssBytes: { mean: 4e7, max: 4e7 }, requests: Math.round(perSecond * 3) }],
    loadGenerator: { cpuPercent: { mean: 10, max: 12 } },
    littlesLaw: { expectedMeanMs: (connections * 1000) / perSecond, measuredMeanMs: meanMs, ratio: meanMs / ((connections * 1000) / perSecond) },
    ...rest,
  }
}
