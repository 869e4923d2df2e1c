/**
 * Statistics used by every run. Pure: no I/O.
 */

/** Mean, sample standard deviation (n − 1; 0 for fewer than two values), min and max. */
export interface Described {
  mean: number
  stddev: number
  min: number
  max: number
}

/**
 * Describes a list of numbers.
 * @returns zeros for an empty list
 */
export function describe(values: readonly number[]): Described {
  const n = values.length
  if (n === 0) return { mean: 0, stddev: 0, min: 0, max: 0 }
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    sum += v
    if (v < min) min = v
    if (v > max) max = v
  }
  const mean = sum / n
  let sq = 0
  for (const v of values) sq += (v - mean) ** 2
  return { mean, stddev: n > 1 ? Math.sqrt(sq / (n - 1)) : 0, min, max }
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
