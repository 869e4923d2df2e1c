/**
 * Spread that means something (issue 11, "Spread that means something"):
 * n, mean, sample standard deviation and a 95 % confidence interval of the
 * mean, for independent samples (repeats of a level) and for per-second
 * samples of one level, which may be correlated (batch means).
 *
 * Pure: no I/O.
 */
import { num } from './format-number.js'

/**
 * Student's t quantile t(0.975; df): the two-sided 95 % critical value, from
 * the standard table (NIST/SEMATECH e-Handbook of Statistical Methods,
 * §1.3.6.7.2, "Critical values of the Student's t distribution"; values here
 * to 6 decimals as computed by SciPy 1.17 `scipy.stats.t.ppf(0.975, df)`).
 * The lab needs this one quantile only, so a 45-row table stands in for a
 * library (a general t quantile needs the inverse incomplete beta function:
 * @stdlib's brings it with a tree of packages, jstat ships no types).
 */
export const T_975: ReadonlyArray<readonly [df: number, t: number]> = [
  [1, 12.706205], [2, 4.302653], [3, 3.182446], [4, 2.776445], [5, 2.570582], [6, 2.446912], [7, 2.364624],
  [8, 2.306004], [9, 2.262157], [10, 2.228139], [11, 2.200985], [12, 2.178813], [13, 2.160369], [14, 2.144787],
  [15, 2.13145], [16, 2.119905], [17, 2.109816], [18, 2.100922], [19, 2.093024], [20, 2.085963], [21, 2.079614],
  [22, 2.073873], [23, 2.068658], [24, 2.063899], [25, 2.059539], [26, 2.055529], [27, 2.051831], [28, 2.048407],
  [29, 2.04523], [30, 2.042272], [35, 2.030108], [40, 2.021075], [45, 2.014103], [50, 2.008559], [60, 2.000298],
  [70, 1.994437], [80, 1.990063], [90, 1.986675], [100, 1.983972], [120, 1.97993], [150, 1.975905], [200, 1.971896],
  [300, 1.967903], [500, 1.96472], [1000, 1.962339],
]

/** The normal quantile z(0.975), the limit of t(0.975; df) as df → ∞. */
export const Z_975 = 1.959964

/**
 * t(0.975; df), the multiplier of a two-sided 95 % interval with `df`
 * degrees of freedom. Between table rows (and beyond 1000, towards
 * {@link Z_975}) it interpolates linearly in 1/df, the usual rule for t
 * tables (M. Abramowitz, I. A. Stegun, "Handbook of Mathematical Functions",
 * 1964, Table 26.10, whose argument for interpolation is 120/ν); for every whole df up to
 * 100,000 it is within 2·10⁻⁵ of the exact quantile.
 * @param df - degrees of freedom, a whole number ≥ 1
 * @throws RangeError when df is not a whole number ≥ 1
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1) || !Number.isInteger(df)) throw new RangeError(`degrees of freedom must be a whole number ≥ 1, got ${df}`)
  let lo = T_975[0] as readonly [number, number]
  for (const row of T_975) {
    if (row[0] === df) return row[1]
    if (row[0] > df) return between(lo, row, df)
    lo = row
  }
  return between(lo, [Infinity, Z_975], df)
}

function between(a: readonly [number, number], b: readonly [number, number], df: number): number {
  const f = (1 / a[0] - 1 / df) / (1 / a[0] - 1 / b[0])
  return a[1] + f * (b[1] - a[1])
}

/** How an interval was made. */
export type CiMethod =
  /** Fewer than two values: no spread, no interval. */
  | 'none'
  /** Student's t on the values as independent samples. */
  | 'student-t'
  /** Student's t on non-overlapping batch means of a correlated series. */
  | 'batch-means'

/**
 * What a set of samples says about their mean. With n < 2 there is no
 * standard deviation, standard error or interval (null): one sample has no
 * spread. Units are the samples' own (req/s for throughput).
 */
export interface Summary {
  /** Samples (seconds, or repeats). */
  n: number
  mean: number
  /** Sample standard deviation (n − 1 denominator); null for n < 2. */
  stddev: number | null
  min: number
  max: number
  /** Estimated standard deviation of `mean` itself; null for n < 2. */
  stdError: number | null
  /** Degrees of freedom of the t multiplier; null for n < 2. */
  df: number | null
  /** 95 % confidence interval of the mean, [low, high]; null for n < 2. */
  ci95: [number, number] | null
  method: CiMethod
  /** With `batch-means`: how many batches of how many samples. */
  batches?: { count: number; size: number }
  /** Lag-1 autocorrelation of the samples, where it was tested (series of ≥ {@link SERIES_RULES}.minToTest). */
  lag1?: number
  /** The method in one sentence, for a report. */
  note: string
}

/**
 * Mean, min, max and sum of squared deviations in one pass (B. P. Welford,
 * "Note on a Method for Calculating Corrected Sums of Squares and Products",
 * Technometrics 4(3), 1962). Each step moves the mean part of the way
 * towards a sample, so in floating point the mean never leaves [min, max]
 * and the sum of squares never goes below 0.
 */
function welford(values: readonly number[]): { mean: number; m2: number; min: number; max: number } {
  let mean = 0
  let m2 = 0
  let min = Infinity
  let max = -Infinity
  values.forEach((x, i) => {
    const d = x - mean
    mean += d / (i + 1)
    m2 += d * (x - mean)
    if (x < min) min = x
    if (x > max) max = x
  })
  return { mean, m2, min, max }
}

/**
 * Summarises independent samples (e.g. a level's repeats, each on a fresh
 * topology): mean ± t(0.975; n − 1) · s / √n.
 * @throws RangeError for no values or a value that is not finite
 */
export function summarize(values: readonly number[]): Summary {
  const n = check(values)
  const { mean, m2, min, max } = welford(values)
  if (n < 2) return { n, mean, stddev: null, min, max, stdError: null, df: null, ci95: null, method: 'none', note: 'one sample: no spread' }
  const stddev = Math.sqrt(m2 / (n - 1))
  return withInterval({ n, mean, stddev, min, max, method: 'student-t' }, stddev / Math.sqrt(n), n - 1, `Student's t on ${n} independent samples`)
}

function check(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('no samples to summarise')
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`a sample is not a finite number: ${v}`)
  return values.length
}

function withInterval(
  s: Pick<Summary, 'n' | 'mean' | 'stddev' | 'min' | 'max' | 'method' | 'batches' | 'lag1'>,
  stdError: number,
  df: number,
  note: string,
): Summary {
  const half = tQuantile975(df) * stdError
  return { ...s, stdError, df, ci95: [s.mean - half, s.mean + half], note }
}

/**
 * Lag-1 autocorrelation, r₁ = Σ (xᵢ − x̄)(xᵢ₊₁ − x̄) / Σ (xᵢ − x̄)² (G. E. P.
 * Box, G. M. Jenkins, "Time Series Analysis", 1970, §2.1.5).
 * @returns null for fewer than 3 values or when every value is the same
 */
export function lag1Autocorrelation(values: readonly number[]): number | null {
  if (values.length < 3) return null
  const { mean } = welford(values)
  let num = 0
  let den = 0
  values.forEach((x, i) => {
    den += (x - mean) ** 2
    const next = values[i + 1]
    if (next !== undefined) num += (x - mean) * (next - mean)
  })
  return den > 0 ? num / den : null
}

/**
 * Means of consecutive non-overlapping batches of `size` values, the first
 * `values.length mod size` values left out (nearest the warm-up).
 * @throws RangeError when size < 1 or exceeds the number of values
 */
export function batchMeans(values: readonly number[], size: number): number[] {
  if (!(size >= 1) || size > values.length || !Number.isInteger(size)) throw new RangeError(`batch size must be 1..${values.length}, got ${size}`)
  const count = Math.floor(values.length / size)
  const skip = values.length - count * size
  return Array.from({ length: count }, (_, b) => welford(values.slice(skip + b * size, skip + (b + 1) * size)).mean)
}

/**
 * Rules for a series of per-second samples; tunable, with their sources.
 */
export const SERIES_RULES = {
  /** Below this many seconds r₁ is too noisy to test; the seconds are taken as independent, and the note says so. */
  minToTest: 10,
  /**
   * Seconds count as correlated when r₁ > z(0.975)/√n: for an uncorrelated
   * series r₁ is approximately normal with variance 1/n (M. S. Bartlett,
   * "On the theoretical specification and sampling properties of
   * autocorrelated time-series", JRSS Suppl. 8(1), 1946). Only positive
   * correlation is acted on: negative correlation makes the plain interval
   * wider than it needs to be, not narrower.
   */
  z: Z_975,
  /**
   * Batches when correlated: 10 (B. Schmeiser, "Batching to Obtain
   * Independent Normal Observations", Operations Research 30(3), 1982: 10 to
   * 30 batches lose little; A. M. Law, W. D. Kelton, "Simulation Modeling and
   * Analysis", 3rd ed. 2000, §9.5.3), or 5 for a series shorter than
   * `2 × batches` seconds, so each batch holds at least 2.
   */
  batches: 10,
  fewBatches: 5,
} as const

/**
 * Summarises one level's per-second samples, which may be correlated (a
 * second that ran slow is often followed by another). Mean, σ, min and max
 * are over every second; the interval:
 * - n < {@link SERIES_RULES}.minToTest: Student's t on the seconds, noted as untested;
 * - r₁ ≤ z/√n: Student's t on the seconds (no significant correlation);
 * - otherwise non-overlapping batch means (Law & Kelton 2000, §9.5.3): k
 *   batches of b = ⌊n/k⌋ seconds estimate the variance of a b-second mean,
 *   so Var(x̄ₙ) ≈ s_B² · b / n, with k − 1 degrees of freedom.
 * @param perSecond - samples of whole seconds only (see core/timeline.ts), in time order
 * @throws RangeError for no values or a value that is not finite
 */
export function summarizeSeries(perSecond: readonly number[]): Summary {
  const plain = summarize(perSecond)
  const n = plain.n
  if (n < 2) return plain
  if (n < SERIES_RULES.minToTest) return { ...plain, note: `Student's t on ${n} seconds, too few to test for correlation` }
  const r1 = lag1Autocorrelation(perSecond)
  if (r1 === null || r1 <= SERIES_RULES.z / Math.sqrt(n)) {
    return { ...plain, ...(r1 === null ? {} : { lag1: r1 }), note: `Student's t on ${n} seconds (lag-1 autocorrelation ${fmt(r1)}, not significant)` }
  }
  const k = n >= 2 * SERIES_RULES.batches ? SERIES_RULES.batches : SERIES_RULES.fewBatches
  const size = Math.floor(n / k)
  const means = batchMeans(perSecond, size)
  const sB = Math.sqrt(welford(means).m2 / (k - 1))
  return withInterval(
    { n, mean: plain.mean, stddev: plain.stddev, min: plain.min, max: plain.max, method: 'batch-means', batches: { count: k, size }, lag1: r1 },
    sB * Math.sqrt(size / n),
    k - 1,
    `batch means: ${k} batches of ${size} s (lag-1 autocorrelation ${fmt(r1)} between seconds)`,
  )
}

const fmt = (r: number | null) => (r === null ? '–' : r.toFixed(2))

/**
 * `77.3 ± 0.4 req/s (n=3)`: mean ± σ; with n < 2 no ± at all (`80.0 req/s (n=1)`).
 * @param digits - decimals of mean and σ
 * @param unit - appended after the numbers when given
 */
export function plusMinus(s: Pick<Summary, 'n' | 'mean' | 'stddev'>, digits = 1, unit = ''): string {
  const u = unit ? ` ${unit}` : ''
  return s.stddev === null ? `${num(s.mean, digits)}${u} (n=${s.n})` : `${num(s.mean, digits)} ± ${num(s.stddev, digits)}${u} (n=${s.n})`
}
