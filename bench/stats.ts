/**
 * Statistics for `npm run bench` (issue 11, "npm run bench"): each side's
 * median and interquartile range, and a bootstrap interval of the ratio of
 * two sides' medians. Trials of a hello-world server on a shared 2-core
 * machine are skewed and have outliers, so the bench reads medians and
 * quartiles, not mean ± σ. Pure: no I/O; the bootstrap is seeded, so the
 * same trials always give the same interval.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

/**
 * The p-quantile by linear interpolation between order statistics, type 7
 * of R. J. Hyndman, Y. Fan, "Sample Quantiles in Statistical Packages",
 * The American Statistician 50(4), 1996 (R's and NumPy's default):
 * h = (n − 1) · p, x₍⌊h⌋₎ + (h − ⌊h⌋) · (x₍⌊h⌋+1₎ − x₍⌊h⌋₎) on the sorted values.
 * @param p - 0..1
 * @throws RangeError for no values or p outside 0..1
 */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values')
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be within 0..1, got ${p}`)
  return sortedQuantile([...values].sort((a, b) => a - b), p)
}

function sortedQuantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const a = sorted[lo] as number
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number
  return a + (h - lo) * (b - a)
}

/**
 * The median (the 0.5-quantile: the middle value, or the mean of the two middle ones).
 * @throws RangeError for no values
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

/** One side of a bench comparison: n trials, their median and quartiles, in the trials' unit (req/s). */
export interface Spread {
  n: number
  median: number
  /** First and third quartiles (type 7). */
  q1: number
  q3: number
  /** Interquartile range, q3 − q1. */
  iqr: number
  min: number
  max: number
}

/**
 * Median, quartiles and interquartile range of a side's trials.
 * @throws RangeError for no values
 */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('no values')
  const s = [...values].sort((a, b) => a - b)
  const q1 = sortedQuantile(s, 0.25)
  const q3 = sortedQuantile(s, 0.75)
  return { n: s.length, median: sortedQuantile(s, 0.5), q1, q3, iqr: q3 - q1, min: s[0] as number, max: s[s.length - 1] as number }
}

/** A ratio of two sides' medians with its bootstrap interval. */
export interface RatioInterval {
  /** median(a) / median(b). */
  ratio: number
  /** Percentile-bootstrap 95 % interval of the ratio. */
  ci95: [number, number]
  resamples: number
  seed: number
}

/**
 * median(a) / median(b) with a percentile-bootstrap 95 % interval (B. Efron,
 * R. J. Tibshirani, "An Introduction to the Bootstrap", Chapman & Hall 1993,
 * ch. 13): each resample draws a and b again, independently and with
 * replacement, at their own sizes; the interval is the 2.5 % and 97.5 %
 * quantiles of the resampled ratios. Random draws come from pure-rand's
 * xoroshiro128+ seeded with `seed`, so the interval is reproducible.
 * @param options.resamples - resamples, default 10,000 (Efron & Tibshirani §13.3: ≥ 1,000 for percentile intervals)
 * @throws RangeError for an empty side, a median(b) of 0, or fewer than 100 resamples
 */
export function bootstrapRatio(a: readonly number[], b: readonly number[], options: { seed?: number; resamples?: number } = {}): RatioInterval {
  const seed = options.seed ?? 1
  const resamples = options.resamples ?? 10_000
  if (a.length === 0 || b.length === 0) throw new RangeError('both sides need trials')
  if (!(resamples >= 100)) throw new RangeError(`at least 100 resamples, got ${resamples}`)
  const mb = median(b)
  if (mb === 0) throw new RangeError('the median of b is 0: no ratio')
  const rng = xoroshiro128plus(seed)
  const draw = (xs: readonly number[]) => median(Array.from({ length: xs.length }, () => xs[uniformInt(rng, 0, xs.length - 1)] as number))
  const ratios: number[] = []
  for (let i = 0; i < resamples; i++) {
    const d = draw(b)
    // a resample of b can have median 0 only if b holds zeros; such a resample has no ratio and is skipped
    if (d !== 0) ratios.push(draw(a) / d)
  }
  ratios.sort((x, y) => x - y)
  return { ratio: median(a) / mb, ci95: [sortedQuantile(ratios, 0.025), sortedQuantile(ratios, 0.975)], resamples, seed }
}
