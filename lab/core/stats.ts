/**
 * Statistics used by every run. Pure: no I/O.
 */
import { summarize } from './confidence.js'

/** Mean, sample standard deviation (n − 1; 0 for fewer than two values), min and max. */
export interface Described {
  mean: number
  stddev: number
  min: number
  max: number
}

/**
 * Describes a list of numbers (see {@link summarize} for n, the standard
 * error and a 95 % interval).
 * @returns zeros for an empty list; a standard deviation of 0 for one value
 * @throws RangeError when a value is not a finite number
 */
export function describe(values: readonly number[]): Described {
  if (values.length === 0) return { mean: 0, stddev: 0, min: 0, max: 0 }
  const { mean, stddev, min, max } = summarize(values)
  return { mean, stddev: stddev ?? 0, min, max }
}

/** The Little's-law self-check of one closed-loop level. */
export interface LittlesLaw {
  /** connections / throughput, in ms. */
  expectedMeanMs: number | null
  measuredMeanMs: number | null
  /** measured / expected. */
  ratio: number | null
}

/**
 * Little's law, L = λW (Little, "A Proof for the Queuing Formula: L = λW",
 * Operations Research 9(3), 1961). In a closed loop with no think time every
 * connection always has one request outstanding, so L = connections and the
 * mean latency must be W = connections / throughput.
 * @param connections - concurrent connections (L)
 * @param perSecond - measured throughput in req/s (λ)
 * @param measuredMeanMs - measured mean latency in ms; null when nothing completed
 */
export function littlesLaw(connections: number, perSecond: number, measuredMeanMs: number | null): LittlesLaw {
  if (!(perSecond > 0) || measuredMeanMs === null) {
    return { expectedMeanMs: null, measuredMeanMs, ratio: null }
  }
  const expectedMeanMs = (connections * 1000) / perSecond
  return { expectedMeanMs, measuredMeanMs, ratio: measuredMeanMs / expectedMeanMs }
}

/** Relative spread of per-second throughput: σ / mean, or 0 when the mean is 0. */
export function relativeSpread(d: Described): number {
  return d.mean > 0 ? d.stddev / d.mean : 0
}

/**
 * The server's CPU cost of one answered response, in µs of CPU: the CPU its
 * processes (every role but the proxy) spent over the measured window, over
 * the 2xx responses answered in it. At saturation on a hello-world level this
 * is the framework's own cost per request (docs/measurement.md): the service
 * time a CPU-bound model needs, S = CPU-seconds per response.
 * @param processes - each process's role and mean CPU over the window, % of one core
 * @param durationS - the measured window, s
 * @param answered - 2xx responses in the window
 * @returns µs per response, or null when nothing was answered or the window is empty
 */
export function cpuPerResponseUs(processes: readonly { role: string; cpuPercent: { mean: number } }[], durationS: number, answered: number): number | null {
  if (answered <= 0 || durationS <= 0) return null
  const cpuS = processes.filter((p) => p.role !== 'proxy').reduce((s, p) => s + (p.cpuPercent.mean / 100) * durationS, 0)
  return (cpuS * 1e6) / answered
}
