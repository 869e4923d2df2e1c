/**
 * Comparisons on what was answered (issue 11, "Comparisons on what was
 * answered"): 2xx rates beside all responses, and verdicts between two
 * topologies that claim a difference only where their 95 % intervals say
 * there is one.
 *
 * Pure: no I/O.
 */
import { tQuantile975, type Summary } from './confidence.js'
import { num } from './format-number.js'
import { t } from './i18n.js'

/** A level's responses by outcome, as rates over its window. */
export interface AnsweredRates {
  /** Every response, any status, req/s. */
  allPerSecond: number
  /** 2xx responses, req/s: what was answered, and what the model predicts. */
  answeredPerSecond: number
  /** Non-2xx responses (e.g. 503s from a server shedding load), req/s. */
  otherPerSecond: number
  /** answered ÷ all, 0..1; null when nothing came back. */
  answeredShare: number | null
}

/**
 * Answered (2xx) and all responses per second of a window. An error
 * response is never counted as served: with 73,042 503s among 74,322
 * responses in 2 s, 640 req/s were answered, not 37,161.
 * @param counts - `total` responses, `ok` of them 2xx (absent in documents from before it was recorded: then all count as answered)
 * @param windowS - the measured window, s
 * @throws RangeError when windowS ≤ 0 or ok is not within 0..total
 */
export function answeredRates(counts: { total: number; ok?: number }, windowS: number): AnsweredRates {
  const ok = counts.ok ?? counts.total
  if (!(windowS > 0)) throw new RangeError(`the window must be > 0 s, got ${windowS}`)
  if (!(ok >= 0 && ok <= counts.total)) throw new RangeError(`2xx responses (${ok}) must be within 0..${counts.total}`)
  return {
    allPerSecond: counts.total / windowS,
    answeredPerSecond: ok / windowS,
    otherPerSecond: (counts.total - ok) / windowS,
    answeredShare: counts.total > 0 ? ok / counts.total : null,
  }
}

/** What two topologies' answered rates at one level say. `higher` names the side with the larger mean. */
export type Comparison =
  /** A side has n < 2: no interval, so no claim; the plain ratio of means is given for reading (null when the lower is 0). */
  | { kind: 'no-interval'; higher: 'a' | 'b'; ratio: number | null }
  /** The two 95 % intervals overlap. */
  | { kind: 'no-measurable-difference' }
  /** Separate intervals: higher ÷ lower, with Fieller's 95 % interval (null when it is unbounded). */
  | { kind: 'ratio'; higher: 'a' | 'b'; ratio: number; ci95: [number, number] | null }
  /** Separate intervals and the lower side answered nothing at all; `perSecond` is the higher side's mean, answered req/s. */
  | { kind: 'none-answered'; higher: 'a' | 'b'; perSecond: number }

/** The parts of a {@link Summary} a comparison reads. */
export type Rate = Pick<Summary, 'n' | 'mean' | 'stdError' | 'df' | 'ci95'>

/**
 * Compares two answered rates (req/s) measured at the same level.
 *
 * - One side answered nothing in its whole window and the other did: that
 *   is a fact, stated without a ratio ("answered requests where … answered
 *   none"), before any interval is read.
 * - Overlapping 95 % intervals: no measurable difference. (Overlap is the
 *   conservative reading: separate intervals mean a difference at well
 *   under 5 %, overlapping ones do not prove equality; N. Schenker,
 *   J. F. Gentleman, "On Judging the Significance of Differences by
 *   Examining the Overlap Between Confidence Intervals", The American
 *   Statistician 55(3), 2001.)
 * - Separate: the ratio higher / lower with Fieller's interval for a ratio
 *   of independent means (E. C. Fieller, "Some Problems in Interval
 *   Estimation", JRSS B 16(2), 1954): the ρ with
 *   (a − ρb)² ≤ t² (s_a² + ρ² s_b²), i.e.
 *   [ab ± t √(a² s_b² + b² s_a² − t² s_a² s_b²)] / (b² − t² s_b²),
 *   bounded only when b² > t² s_b². Here s is each mean's standard error
 *   and t = t(0.975; min(df_a, df_b)), the conservative choice of the
 *   smaller degrees of freedom (D. S. Moore, G. P. McCabe, "Introduction to
 *   the Practice of Statistics", two-sample t procedures).
 */
export function compareRates(a: Rate, b: Rate): Comparison {
  const higher = a.mean >= b.mean ? 'a' : 'b'
  const [hi, lo] = higher === 'a' ? [a, b] : [b, a]
  if (!hi.ci95 || !lo.ci95 || hi.stdError === null || lo.stdError === null || hi.df === null || lo.df === null) {
    return { kind: 'no-interval', higher, ratio: lo.mean > 0 ? hi.mean / lo.mean : null }
  }
  // a side that answered nothing in its whole window is a fact, not an estimate: the other answered
  // requests where it answered none, whatever the other's interval (two seconds of 107 and 142 give a
  // t-interval reaching below 0, which no rate can)
  if (lo.mean <= 0 && hi.mean > 0) return { kind: 'none-answered', higher, perSecond: hi.mean }
  if (lo.ci95[1] >= hi.ci95[0]) return { kind: 'no-measurable-difference' }
  const t = tQuantile975(Math.min(hi.df, lo.df))
  const [x, y, sx, sy] = [hi.mean, lo.mean, hi.stdError, lo.stdError]
  const den = y * y - t * t * sy * sy
  const disc = x * x * sy * sy + y * y * sx * sx - t * t * sx * sx * sy * sy
  const ci95: [number, number] | null = den > 0 && disc >= 0 ? [(x * y - t * Math.sqrt(disc)) / den, (x * y + t * Math.sqrt(disc)) / den] : null
  return { kind: 'ratio', higher, ratio: x / y, ci95 }
}

/** A rate as a verdict states it: one decimal below 100 req/s, none above. */
const rateText = (perSecond: number): string => perSecond.toFixed(perSecond >= 100 ? 0 : 1)

/**
 * The verdict line of one level, e.g.
 * `io-bound @128: async served 24.3× (95 % CI 23.9–24.8×) the answered req/s of prefork`.
 * @param level - e.g. `io-bound @128`
 * @param names - the two sides' names, a then b
 */
export function verdictLine(level: string, names: readonly [string, string], c: Comparison): string {
  if (c.kind === 'no-measurable-difference') return t('verdict.noDifference', { level, a: names[0], b: names[1] })
  const [hi, lo] = c.higher === 'a' ? names : [names[1], names[0]]
  if (c.kind === 'none-answered') return t('verdict.noneAnswered', { level, hi, lo, rate: rateText(c.perSecond) })
  if (c.kind === 'no-interval') {
    return c.ratio === null ? t('verdict.singleNone', { level, hi, lo }) : t('verdict.singleRatio', { level, hi, lo, ratio: num(c.ratio, 1) })
  }
  const ci = c.ci95 ? t('verdict.ci', { low: num(c.ci95[0], 1), high: num(c.ci95[1], 1) }) : t('verdict.ciUnbounded')
  return t('verdict.ratio', { level, hi, lo, ratio: num(c.ratio, 1), ci })
}
