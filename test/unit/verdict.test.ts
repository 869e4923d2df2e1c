import { describe, expect, it } from 'vitest'
import { summarize } from '../../lab/core/confidence.js'
import { answeredRates, compareRates, verdictLine, type Rate } from '../../lab/core/verdict.js'

/** A rate with a given standard error and degrees of freedom, its interval by Student's t. */
const rate = (mean: number, stdError: number, df: number, t: number): Rate => ({ n: df + 1, mean, stdError, df, ci95: [mean - t * stdError, mean + t * stdError] })
const T9 = 2.262157

describe('answeredRates', () => {
  it('counts 503s as responses but not as answered: overload shed 73,042 of 74,322 in 2 s → 640 answered req/s, not 37,161', () => {
    const r = answeredRates({ total: 74_322, ok: 1_280 }, 2)
    expect(r.allPerSecond).toBe(37_161)
    expect(r.answeredPerSecond).toBe(640)
    expect(r.otherPerSecond).toBe(36_521)
    expect(r.answeredShare).toBeCloseTo(1280 / 74322, 12)
  })

  it('counts every response as answered in a document from before 2xx were counted', () => {
    expect(answeredRates({ total: 300 }, 3)).toEqual({ allPerSecond: 100, answeredPerSecond: 100, otherPerSecond: 0, answeredShare: 1 })
  })

  it('has no share when nothing came back', () => {
    expect(answeredRates({ total: 0, ok: 0 }, 2).answeredShare).toBeNull()
  })

  it('refuses more 2xx than responses and an empty window', () => {
    expect(() => answeredRates({ total: 5, ok: 6 }, 2)).toThrow(RangeError)
    expect(() => answeredRates({ total: 5, ok: 5 }, 0)).toThrow(RangeError)
  })
})

describe('compareRates', () => {
  it('finds no measurable difference when the 95 % intervals overlap', () => {
    const a = summarize([77.1, 77.6, 77.2])
    const b = summarize([76.9, 77.4, 77.0])
    expect(compareRates(a, b)).toEqual({ kind: 'no-measurable-difference' })
  })

  it("gives separate intervals the ratio with Fieller's interval: 100 ± 2 over 50 ± 1 (se, df 9) is 2.0, CI 1.876–2.132", () => {
    // hand-worked: t = 2.262157; ab = 5000; √(a²s_b² + b²s_a² − t²s_a²s_b²) = √19 979.53;
    // bounds (5000 ∓ t·141.349) / (2500 − t²) = 1.875939, 2.132266 (checked by a brute-force scan of ρ)
    const c = compareRates(rate(100, 2, 9, T9), rate(50, 1, 9, T9))
    expect(c.kind).toBe('ratio')
    if (c.kind !== 'ratio') throw new Error('expected a ratio')
    expect(c.higher).toBe('a')
    expect(c.ratio).toBe(2)
    expect(c.ci95?.[0]).toBeCloseTo(1.875939, 5)
    expect(c.ci95?.[1]).toBeCloseTo(2.132266, 5)
  })

  it('puts the higher rate on top whichever side it is, with the smaller degrees of freedom', () => {
    // df 7 and 9: t(0.975; 7) = 2.364624 → bounds 1.870495, 2.138471
    const c = compareRates(rate(50, 1, 9, T9), rate(100, 2, 7, 2.364624))
    expect(c).toMatchObject({ kind: 'ratio', higher: 'b', ratio: 2 })
    if (c.kind !== 'ratio') throw new Error('expected a ratio')
    expect(c.ci95?.[0]).toBeCloseTo(1.870495, 5)
    expect(c.ci95?.[1]).toBeCloseTo(2.138471, 5)
  })

  it('gives no bound when the lower rate is not clearly above 0 at the shared t', () => {
    // lower: 3 ± 1.4 (df 30, its own interval 0.14..5.86) but with df 2 shared, t = 4.303 and 3² < t²·1.4²
    const c = compareRates(rate(100, 1, 2, 4.302653), rate(3, 1.4, 30, 2.042272))
    expect(c).toMatchObject({ kind: 'ratio', higher: 'a', ci95: null })
  })

  it('says the lower side answered none when its rate is 0, keeping the higher side’s rate', () => {
    const c = compareRates(rate(640, 5, 2, 4.302653), rate(0, 0, 2, 4.302653))
    expect(c).toEqual({ kind: 'none-answered', higher: 'a', perSecond: 640 })
    expect(verdictLine('slow-clients @4', ['proxied', 'bare'], c)).toBe('slow-clients @4: proxied answered 640 req/s where bare answered none')
  })

  it('says the lower side answered none even when the other side\'s two-second interval reaches below 0 (proxied 107 and 142, bare 0 and 0)', () => {
    // mean 124.5, σ 24.7, standard error 17.5 on 1 df: t(0.975; 1) = 12.706 gives −98–347
    expect(compareRates(rate(124.5, 17.5, 1, 12.706205), rate(0, 0, 1, 12.706205))).toEqual({ kind: 'none-answered', higher: 'a', perSecond: 124.5 })
  })

  it('makes no claim from one sample, but gives the plain ratio to read', () => {
    expect(compareRates(summarize([2560]), summarize([80, 81]))).toEqual({ kind: 'no-interval', higher: 'a', ratio: 2560 / 80.5 })
  })
})

describe('verdictLine', () => {
  it('says "no measurable difference at this level" for overlapping intervals', () => {
    expect(verdictLine('cpu-bound @64', ['prefork', 'async'], { kind: 'no-measurable-difference' })).toBe(
      'cpu-bound @64: no measurable difference at this level between prefork and async (their 95 % intervals overlap)',
    )
  })

  it('gives the ratio with its interval, higher side first', () => {
    expect(verdictLine('io-bound @128', ['prefork', 'async'], { kind: 'ratio', higher: 'b', ratio: 24.31, ci95: [23.92, 24.77] })).toBe(
      'io-bound @128: async served 24.3× (95 % CI 23.9–24.8×) the answered req/s of prefork',
    )
  })

  it('warns that a single sample proves nothing', () => {
    expect(verdictLine('io-bound @8', ['prefork', 'async'], { kind: 'no-interval', higher: 'b', ratio: 2 })).toBe(
      'io-bound @8: async served 2.0× the answered req/s of prefork (a single sample has no interval: measure longer or repeat before trusting the difference)',
    )
  })
})
