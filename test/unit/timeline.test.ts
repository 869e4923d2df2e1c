import { describe, expect, it } from 'vitest'
import { secondsFromCounts, secondsFromTimes, wholeSecondSamples } from '../../lab/core/timeline.js'

/** `n` completion times spread evenly over [fromMs, toMs). */
const spread = (n: number, fromMs: number, toMs: number) => Array.from({ length: n }, (_, i) => fromMs + ((toMs - fromMs) * i) / n)

describe('secondsFromTimes', () => {
  it('bins a 2.2 s window into two whole seconds and a partial fifth, not scaled up', () => {
    // 8 connections waiting 50 ms: 160 responses a second; 32 in the last 0.2 s
    const t0 = 5000
    const times = [...spread(160, t0, t0 + 1000), ...spread(160, t0 + 1000, t0 + 2000), ...spread(32, t0 + 2000, t0 + 2200)]
    const s = secondsFromTimes(times, t0, t0 + 2200)
    expect(s.map((x) => [x.t, x.responses, x.perSecond, x.partial])).toEqual([
      [1, 160, 160, false],
      [2, 160, 160, false],
      [2.2, 32, null, true],
    ])
    expect(s[2]?.widthS).toBeCloseTo(0.2, 12)
  })

  it('has no partial point when the window is whole seconds, and counts a response at its very end', () => {
    const s = secondsFromTimes([0, 999, 1000, 2000], 0, 2000)
    expect(s.map((x) => [x.responses, x.partial])).toEqual([
      [2, false],
      [2, false],
    ])
  })

  it('treats a window a microsecond short of whole as whole (timer rounding)', () => {
    expect(secondsFromTimes([500, 1500], 0, 1999.9995).map((x) => x.partial)).toEqual([false, false])
  })

  it('leaves out responses outside the window', () => {
    const s = secondsFromTimes([-1, 10, 3001], 0, 3000)
    expect(s.map((x) => x.responses)).toEqual([1, 0, 0])
  })

  it('gives a window shorter than a second one partial point and no rate', () => {
    const s = secondsFromTimes(spread(75, 0, 500), 0, 500)
    expect(s).toEqual([{ t: 0.5, widthS: 0.5, responses: 75, perSecond: null, partial: true }])
  })

  it('refuses a window that ends before it starts', () => {
    expect(() => secondsFromTimes([], 10, 5)).toThrow(RangeError)
  })
})

describe('secondsFromCounts', () => {
  it('cuts counts aligned to the load start at the window end: 3.4 s gives 3 whole seconds and a partial', () => {
    const s = secondsFromCounts([120, 160, 158, 61, 40], 3.4)
    expect(s.map((x) => [x.t, x.responses, x.perSecond, x.partial])).toEqual([
      [1, 120, 120, false],
      [2, 160, 160, false],
      [3, 158, 158, false],
      [3.4, 61, null, true],
    ])
  })

  it('gives seconds with no count 0 responses', () => {
    expect(secondsFromCounts([5], 2).map((x) => x.perSecond)).toEqual([5, 0])
  })
})

describe('wholeSecondSamples', () => {
  /** `n` completions spread evenly over [fromMs, toMs), each in the middle of its slot. */
  const mid = (n: number, fromMs: number, toMs: number) => Array.from({ length: n }, (_, i) => fromMs + ((toMs - fromMs) * (i + 0.5)) / n)

  it('takes only whole seconds: 1.5 s of 150 req/s is one sample of 150, not 150 and 75 / 0.5', () => {
    const s = wholeSecondSamples(mid(225, 0, 1500), 0, 1500)
    expect(s).toHaveLength(1)
    expect(s[0]).toBeCloseTo(150, 9)
  })

  it('gives no sample for a window shorter than a second', () => {
    expect(wholeSecondSamples(spread(10, 0, 400), 0, 400)).toEqual([])
  })

  it('shares the response in flight across a boundary, so two seconds of 80 at different phases are not both exactly 80', () => {
    // 80 a second, but the second second's completions come 5 ms later: 2.5 ms later than the gap midpoint
    const times = [...mid(80, 0, 1000), ...mid(80, 1005, 2005)]
    const [a, b] = wholeSecondSamples(times, 0, 2000) as [number, number]
    // start: first at 6.25 of a 12.5 ms gap → 0.5 in flight; boundary at 1000: last at 993.75,
    // next at 1011.25 → 80 + 6.25 / 17.5; end at 2000: last at 1998.75 of a 12.5 ms gap → 160 + 0.1
    expect(a).toBeCloseTo(80 + 6.25 / 17.5 - 0.5, 9)
    expect(a + b).toBeCloseTo(160 + 0.1 - 0.5, 9)
    expect(a).not.toBe(b)
  })

  it('adds up, over the whole seconds, to the responses in them within one response', () => {
    const times = [...mid(77, 0, 1000), ...mid(78, 1000, 2000), ...mid(79, 2000, 3000)]
    const s = wholeSecondSamples(times, 0, 3000)
    expect(s).toHaveLength(3)
    expect(Math.abs(s.reduce((x, y) => x + y, 0) - 234)).toBeLessThan(1)
  })
})
