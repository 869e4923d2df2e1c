/**
 * Timelines without invented points (issue 11): responses are binned into
 * whole seconds; the part-second left at the end of a window is kept as it
 * is, marked `partial`, and never divided by its width (a fifth of a second
 * with 78 responses is not 390 req/s). Per-second samples for statistics
 * come from whole seconds only ({@link wholeSecondSamples}).
 *
 * Pure: no I/O.
 */

/** Widths below this, s, are timer rounding, not a part-second (1 µs). */
const EPS_S = 1e-6

/** One second (or the trailing part-second) of a timeline. */
export interface TimelineSecond {
  /** End of the second, s since the origin (for a partial one: the end of the window). */
  t: number
  /** Its width, s: 1 for a whole second, less for the trailing part. */
  widthS: number
  /** Responses completed in it. */
  responses: number
  /** Responses per second: `responses` for a whole second; null for a part-second, which is never scaled up. */
  perSecond: number | null
  /** True for the trailing part-second. */
  partial: boolean
}

function second(index: number, responses: number, widthS: number): TimelineSecond {
  const partial = widthS < 1 - EPS_S
  return { t: partial ? index + widthS : index + 1, widthS: partial ? widthS : 1, responses, perSecond: partial ? null : responses, partial }
}

/**
 * Bins response times into the seconds of [startMs, endMs]: whole seconds
 * from `startMs`, then the part-second left, if any, marked partial.
 * Responses before `startMs` or after `endMs` are left out; one exactly at
 * `endMs` of a whole-second window counts in its last second.
 * @param timesMs - completion times, ms, any clock (`performance.now()`), any order
 * @throws RangeError when endMs < startMs
 */
export function secondsFromTimes(timesMs: readonly number[], startMs: number, endMs: number): TimelineSecond[] {
  if (!(endMs >= startMs)) throw new RangeError(`window ends (${endMs}) before it starts (${startMs})`)
  const spanS = (endMs - startMs) / 1000
  const whole = Math.floor(spanS + EPS_S)
  const rest = spanS - whole
  const slots = whole + (rest > EPS_S ? 1 : 0)
  const counts = new Array<number>(slots).fill(0)
  for (const at of timesMs) {
    if (at < startMs || at > endMs) continue
    const k = Math.min(slots - 1, Math.floor((at - startMs) / 1000))
    if (k >= 0) counts[k] = (counts[k] as number) + 1
  }
  return counts.map((c, i) => second(i, c, i < whole ? 1 : rest))
}

/**
 * Timeline points from per-second counts aligned to an origin (`counts[i]`
 * responses completed in [i, i + 1) s), counted until `endS` s: seconds
 * wholly before `endS` are whole, the one `endS` cuts is partial, later
 * counts are left out.
 * @throws RangeError when endS < 0
 */
export function secondsFromCounts(counts: readonly number[], endS: number): TimelineSecond[] {
  if (!(endS >= 0)) throw new RangeError(`the count must end at ≥ 0 s, got ${endS}`)
  const whole = Math.floor(endS + EPS_S)
  const rest = endS - whole
  const slots = whole + (rest > EPS_S ? 1 : 0)
  return Array.from({ length: slots }, (_, i) => second(i, counts[i] ?? 0, i < whole ? 1 : rest))
}

/**
 * The per-second samples of a window for its statistics: the responses of
 * each whole second from `startMs` (the trailing part-second is left out),
 * counted on the cumulative count interpolated linearly between consecutive
 * completions, so that a second's sample is not rounded to whole responses
 * at its edges. A deterministic server's seconds otherwise read the same
 * integer (80, 80) and give a spread of exactly 0 that only reflects the
 * rounding; here the response in flight across a boundary is shared between
 * the two seconds in proportion to the time elapsed since the previous
 * completion (docs/measurement.md, "Spread").
 * @param timesMs - completion times, ms, any order
 * @throws RangeError when endMs < startMs
 */
export function wholeSecondSamples(timesMs: readonly number[], startMs: number, endMs: number): number[] {
  if (!(endMs >= startMs)) throw new RangeError(`window ends (${endMs}) before it starts (${startMs})`)
  // the whole seconds of the window, as secondsFromTimes counts them, without binning every response first
  const whole = Math.floor((endMs - startMs) / 1000 + EPS_S)
  const sorted = timesMs.filter((t) => t >= startMs && t <= endMs).sort((a, b) => a - b)
  const at = (t: number) => interpolatedCount(sorted, t)
  return Array.from({ length: whole }, (_, i) => at(startMs + (i + 1) * 1000) - at(startMs + i * 1000))
}

/**
 * The cumulative count at `t`: completions before `t`, plus the elapsed share
 * of the gap in flight at `t`. Before the first completion and after the last,
 * the gap in flight is taken to be as long as the nearest observed one (the
 * window's responses alone are passed in), so that the window's edges are
 * treated as its inner boundaries are; with fewer than two completions there
 * is no gap to share and the count is a step.
 */
function interpolatedCount(sorted: readonly number[], t: number): number {
  const n = sorted.length
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) < t) lo = mid + 1
    else hi = mid
  }
  // lo completions before t: sorted[lo - 1] < t ≤ sorted[lo]
  if (n < 2) return lo
  if (lo === 0) {
    const gap = (sorted[1] as number) - (sorted[0] as number)
    return gap > 0 ? Math.max(0, 1 - ((sorted[0] as number) - t) / gap) : 0
  }
  if (lo === n) {
    const gap = (sorted[n - 1] as number) - (sorted[n - 2] as number)
    return gap > 0 ? n + Math.min(1, (t - (sorted[n - 1] as number)) / gap) : n
  }
  const before = sorted[lo - 1] as number
  const after = sorted[lo] as number
  return lo + (t - before) / (after - before)
}
