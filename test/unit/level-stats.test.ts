/**
 * The accumulators of one level (lab/load/level-stats.ts): per-second
 * samples only from the window's whole seconds, n and a 95 % interval with
 * them, answered (2xx) responses apart from all, and a timeline whose
 * trailing part-second is marked partial and never scaled up.
 */
import { describe, expect, it } from 'vitest'
import { SecondBuckets, WindowStats, windowRate } from '../../lab/load/level-stats.js'

/** `count` completion times spread evenly over [from, from + 1000) ms. */
const second = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + ((i + 0.5) * 1000) / count)

describe('windowRate', () => {
  it('takes its samples from whole seconds only: a 2.3 s window of 77, 78 and a part-second of 30 gives n = 2, mean 77.5 within the share in flight', () => {
    const times = [...second(0, 77), ...second(1000, 78), ...second(2000, 100).filter((t) => t <= 2300)]
    const r = windowRate(times, 0, 2.3)
    expect(r).toMatchObject({ n: 2, method: 'student-t', df: 1 })
    // the responses in flight at 0, 1 s and 2 s are shared (core/timeline.ts): 77.00 and 78.06
    expect(r.min).toBeCloseTo(77, 2)
    expect(r.max).toBeCloseTo(78.06, 2)
    expect(r.mean).toBeCloseTo(77.53, 2)
    expect(r.stddev).toBeCloseTo((78.0585 - 77.0033) / Math.SQRT2, 3)
    // t(0.975; 1) · s / √2
    const half = (12.706205 * r.stddev) / Math.SQRT2
    expect(r.ci95?.[0]).toBeCloseTo(r.mean - half, 6)
    expect(r.ci95?.[1]).toBeCloseTo(r.mean + half, 6)
  })

  it('keeps min ≤ mean ≤ max and σ ≥ 0 whatever the seconds hold', () => {
    for (const counts of [[152, 150, 151], [0, 0], [3, 900, 12, 1]]) {
      const times = counts.flatMap((c, i) => second(i * 1000, c))
      const r = windowRate(times, 0, counts.length)
      expect(r.n).toBe(counts.length)
      expect(r.min).toBeLessThanOrEqual(r.mean)
      expect(r.mean).toBeLessThanOrEqual(r.max)
      expect(r.stddev).toBeGreaterThanOrEqual(0)
    }
  })

  it('gives no spread from one whole second, and none from a window shorter than a second', () => {
    expect(windowRate(second(0, 80), 0, 1.5)).toMatchObject({ n: 1, mean: 80, stddev: 0, ci95: null, method: 'none' })
    expect(windowRate(second(0, 80).filter((t) => t <= 500), 0, 0.5)).toMatchObject({ n: 0, mean: 80, stddev: 0, ci95: null, method: 'none' })
  })
})

describe('WindowStats', () => {
  it('counts 503s among the responses but not among the answered ones', () => {
    const w = new WindowStats(10)
    for (const [i, at] of second(0, 100).entries()) w.response({ at, latencyMs: 5, statusCode: i % 4 === 0 ? 200 : 503 })
    for (const [i, at] of second(1000, 100).entries()) w.response({ at, latencyMs: 5, statusCode: i % 4 === 0 ? 200 : 503 })
    const s = w.summary(0, 2)
    expect(s.requests).toMatchObject({ total: 200, ok: 50 })
    expect(s.requests.perSecond).toMatchObject({ n: 2, mean: 100 })
    expect(s.requests.answeredPerSecond).toMatchObject({ n: 2 })
    expect(s.requests.answeredPerSecond?.mean).toBeCloseTo(25, 1)
    expect(s.errors.non2xx).toBe(150)
  })
})

describe('SecondBuckets.timeline', () => {
  it('keeps whole seconds as rates and marks the trailing part-second partial, with its responses unscaled', () => {
    const b = new SecondBuckets(0, 10)
    for (const at of [...second(0, 160), ...second(1000, 160), ...second(2000, 160).filter((t) => t < 2200)]) b.response(at, 50_000)
    const points = b.timeline(500, 2200)
    b.destroy()
    expect(points.map((p) => [p.t, p.perSecond, p.partial ?? false])).toEqual([
      [1, 160, false],
      [2, 160, false],
      [2.2, 32, true],
    ])
    // 32 responses in 0.2 s are not 160 req/s... and never 388
    expect(points[2]?.widthS).toBeCloseTo(0.2, 9)
    expect(points[0]?.warmup).toBe(true)
  })

  it('has no partial point when the load ends on a whole second', () => {
    const b = new SecondBuckets(0, 10)
    for (const at of second(0, 10)) b.response(at, 1000)
    expect(b.timeline(0, 1000).map((p) => p.partial ?? false)).toEqual([false])
    b.destroy()
  })
})
