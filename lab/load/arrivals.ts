/**
 * Arrival schedules of an open loop: the instants at which requests are meant
 * to be sent, whatever the server does (docs/open-loop.md).
 *
 * - `poisson`: independent arrivals at a mean rate λ; the gaps between them
 *   are exponential with mean 1/λ (coefficient of variation 1), drawn by
 *   inversion, gap = −ln(1 − U) / λ (L. Devroye, "Non-Uniform Random Variate
 *   Generation", Springer 1986, §II.2.1). This is the arrival process of the
 *   M/M/c and M/D/c models in lab/core/open-model.ts.
 * - `constant`: one request every 1/λ exactly (instant k is k/λ, computed
 *   from k so rounding does not accumulate).
 *
 * Pure: no I/O, no clock. The caller supplies the random source, so a seeded
 * one ({@link seededRandom}) makes a schedule reproducible.
 */

/** How arrivals are spaced. */
export type ArrivalKind = 'poisson' | 'constant'

/** A schedule to generate. */
export interface ArrivalSchedule {
  kind: ArrivalKind
  /** Mean offered rate, req/s (> 0, finite). */
  ratePerS: number
  /** Instants are generated in [0, untilMs), ms since the load started. */
  untilMs: number
  /** Uniform source in [0, 1) for `poisson` (default `Math.random`); ignored by `constant`. */
  random?: () => number
}

/**
 * The intended send instants of a schedule, ascending, in ms since the load
 * started. Poisson's first instant is one exponential gap after 0 (the
 * process is memoryless, so the load starts in its steady state); constant's
 * first instant is 0.
 * @throws RangeError when `ratePerS` is not a positive finite number or `untilMs` is negative or not finite
 */
export function* arrivalInstants(s: ArrivalSchedule): Generator<number, void, undefined> {
  if (!(s.ratePerS > 0) || !Number.isFinite(s.ratePerS)) throw new RangeError(`ratePerS must be a positive finite number (req/s), got ${s.ratePerS}`)
  if (!(s.untilMs >= 0) || !Number.isFinite(s.untilMs)) throw new RangeError(`untilMs must be a finite number ≥ 0 (ms), got ${s.untilMs}`)
  const meanGapMs = 1000 / s.ratePerS
  if (s.kind === 'constant') {
    for (let k = 0; k * meanGapMs < s.untilMs; k++) yield k * meanGapMs
    return
  }
  const random = s.random ?? Math.random
  let at = 0
  for (;;) {
    at += -Math.log(1 - random()) * meanGapMs
    if (at >= s.untilMs) return
    yield at
  }
}

/**
 * A seeded uniform source in [0, 1): mulberry32 (T. Ettinger, public domain,
 * 2017; a 32-bit state advanced by a Weyl sequence and mixed by two
 * multiply-xorshift rounds). Good enough for test schedules and reproducible
 * runs, not for cryptography.
 * @param seed - any integer; the same seed gives the same sequence
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
