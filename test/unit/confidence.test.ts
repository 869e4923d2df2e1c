import { describe, expect, it } from 'vitest'
import { batchMeans, lag1Autocorrelation, plusMinus, summarize, summarizeSeries, tQuantile975 } from '../../lab/core/confidence.js'

/** A seeded generator (Park–Miller minimal standard), so the property checks are the same every run. */
function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 16807) % 2147483647) / 2147483647
}

describe('tQuantile975', () => {
  it('reads the textbook table: t(0.975; 1) = 12.706, t(0.975; 9) = 2.262, t(0.975; 30) = 2.042', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706205, 6)
    expect(tQuantile975(9)).toBeCloseTo(2.262157, 6)
    expect(tQuantile975(30)).toBeCloseTo(2.042272, 6)
  })

  it('interpolates between rows within 2e-5 of the exact quantile (SciPy: t(33) = 2.034515, t(250) = 1.969498, t(5000) = 1.960439)', () => {
    expect(Math.abs(tQuantile975(33) - 2.0345153)).toBeLessThan(2e-5)
    expect(Math.abs(tQuantile975(250) - 1.9694984)).toBeLessThan(2e-5)
    expect(Math.abs(tQuantile975(5000) - 1.9604386)).toBeLessThan(2e-5)
  })

  it('refuses zero or fractional degrees of freedom', () => {
    expect(() => tQuantile975(0)).toThrow(RangeError)
    expect(() => tQuantile975(2.5)).toThrow(RangeError)
  })
})

describe('summarize', () => {
  it("gives Student's sleep data (Cushny & Peebles, Student 1908) its textbook interval: 1.58, 95 % CI 0.700 to 2.460", () => {
    // R: t.test(extra ~ group, data = sleep, paired = TRUE) → mean difference 1.58, 95 % CI 0.7001142 2.4598858
    const s = summarize([1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4])
    expect(s.n).toBe(10)
    expect(s.mean).toBeCloseTo(1.58, 12)
    expect(s.stddev).toBeCloseTo(1.229995483, 8)
    expect(s.df).toBe(9)
    expect(s.ci95?.[0]).toBeCloseTo(0.7001142, 6)
    expect(s.ci95?.[1]).toBeCloseTo(2.4598858, 6)
    expect(s.method).toBe('student-t')
  })

  it('gives 2, 4, 4, 4, 5, 5, 7, 9 mean 5, s = 2.138, 95 % CI 3.213 to 6.787', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9])
    expect(s.stddev).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(s.ci95?.[0]).toBeCloseTo(3.212512, 5)
    expect(s.ci95?.[1]).toBeCloseTo(6.787488, 5)
    expect([s.min, s.max]).toEqual([2, 9])
  })

  it('gives one sample no spread and no interval, and records n = 1', () => {
    expect(summarize([80])).toMatchObject({ n: 1, mean: 80, stddev: null, stdError: null, df: null, ci95: null, method: 'none', min: 80, max: 80 })
  })

  it('keeps the mean of equal values exactly that value (0.1 three times is 0.1, σ exactly 0)', () => {
    const s = summarize([0.1, 0.1, 0.1])
    expect(s.mean).toBe(0.1)
    expect(s.stddev).toBe(0)
    expect(s.ci95).toEqual([0.1, 0.1])
  })

  it('refuses no samples and samples that are not numbers', () => {
    expect(() => summarize([])).toThrow(RangeError)
    expect(() => summarize([1, NaN])).toThrow(RangeError)
  })

  it('holds min ≤ mean ≤ max, σ² (n − 1) = Σ (x − mean)² and mean inside its interval on 500 random sets', () => {
    const rnd = lcg(42)
    for (let k = 0; k < 500; k++) {
      const n = 2 + Math.floor(rnd() * 40)
      const scale = 10 ** Math.floor(rnd() * 8 - 2)
      const xs = Array.from({ length: n }, () => (rnd() - 0.3) * scale)
      const s = summarize(xs)
      expect(s.n).toBe(n)
      expect(s.min).toBeLessThanOrEqual(s.mean)
      expect(s.mean).toBeLessThanOrEqual(s.max)
      const ss = xs.reduce((a, x) => a + (x - s.mean) ** 2, 0)
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b)
      expect(rel((s.stddev as number) ** 2 * (n - 1), ss)).toBeLessThan(1e-9)
      const [lo, hi] = s.ci95 as [number, number]
      const half = tQuantile975(n - 1) * ((s.stddev as number) / Math.sqrt(n))
      expect(rel(hi - s.mean, half)).toBeLessThan(1e-6)
      expect(rel(s.mean - lo, half)).toBeLessThan(1e-6)
    }
  })
})

describe('lag1Autocorrelation', () => {
  it('gives the ramp 0, 1, 2, 3, 4 a lag-1 autocorrelation of 0.4', () => {
    // mean 2; Σ (x−2)(x'−2) = (−2)(−1) + (−1)(0) + 0·1 + 1·2 = 4; Σ (x−2)² = 10
    expect(lag1Autocorrelation([0, 1, 2, 3, 4])).toBeCloseTo(0.4, 12)
  })

  it('is −0.75 for a series that alternates: 1, −1, 1, −1', () => {
    // mean 0; Σ x·x' = −3; Σ x² = 4
    expect(lag1Autocorrelation([1, -1, 1, -1])).toBeCloseTo(-0.75, 12)
  })

  it('has nothing to say for a flat series or fewer than 3 values', () => {
    expect(lag1Autocorrelation([5, 5, 5, 5])).toBeNull()
    expect(lag1Autocorrelation([1, 2])).toBeNull()
  })
})

describe('batchMeans', () => {
  it('averages consecutive batches: 1..6 in twos gives 1.5, 3.5, 5.5', () => {
    expect(batchMeans([1, 2, 3, 4, 5, 6], 2)).toEqual([1.5, 3.5, 5.5])
  })

  it('leaves out the first values that do not fill a batch (nearest the warm-up)', () => {
    expect(batchMeans([100, 1, 2, 3, 4], 2)).toEqual([1.5, 3.5])
  })

  it('refuses a batch larger than the series', () => {
    expect(() => batchMeans([1, 2], 3)).toThrow(RangeError)
  })
})

describe('summarizeSeries', () => {
  it('uses batch means for a drifting level: 20 seconds 100..119 in 10 batches of 2', () => {
    // r₁ of the ramp is far above 1.96/√20 = 0.44. Batch means 100.5, 102.5, … 118.5: s_B = 2·√(82.5/9);
    // Var(mean of 20) ≈ s_B² · 2 / 20; half-width t(0.975; 9) · s_B · √0.1
    const s = summarizeSeries(Array.from({ length: 20 }, (_, i) => 100 + i))
    expect(s.method).toBe('batch-means')
    expect(s.batches).toEqual({ count: 10, size: 2 })
    expect(s.df).toBe(9)
    expect(s.mean).toBeCloseTo(109.5, 12)
    const half = 2.262157 * 2 * Math.sqrt(82.5 / 9) * Math.sqrt(0.1)
    expect(s.ci95?.[0]).toBeCloseTo(109.5 - half, 5)
    expect(s.ci95?.[1]).toBeCloseTo(109.5 + half, 5)
    // wider than treating the seconds as independent would claim
    const naive = summarize(Array.from({ length: 20 }, (_, i) => 100 + i))
    expect((s.ci95 as number[])[1] as number).toBeGreaterThan((naive.ci95 as number[])[1] as number)
    expect(s.note).toContain('batch means: 10 batches of 2 s')
  })

  it('uses 5 batches for a correlated series of 10 to 19 seconds', () => {
    const s = summarizeSeries(Array.from({ length: 12 }, (_, i) => 50 + i))
    expect(s.batches).toEqual({ count: 5, size: 2 })
    expect(s.df).toBe(4)
  })

  it('treats seconds with no significant correlation as independent, and says r₁', () => {
    const xs = [80, 83, 79, 81, 84, 78, 82, 80, 79, 83, 81, 80]
    const r1 = lag1Autocorrelation(xs) as number
    expect(Math.abs(r1)).toBeLessThan(1.96 / Math.sqrt(12))
    const s = summarizeSeries(xs)
    expect(s.method).toBe('student-t')
    expect(s.lag1).toBeCloseTo(r1, 12)
    expect(s.ci95).toEqual(summarize(xs).ci95)
  })

  it('does not test fewer than 10 seconds for correlation, and says so', () => {
    const s = summarizeSeries([150, 152, 149])
    expect(s.method).toBe('student-t')
    expect(s.lag1).toBeUndefined()
    expect(s.note).toContain('too few to test for correlation')
  })

  it('gives one whole second no spread', () => {
    expect(summarizeSeries([150])).toMatchObject({ n: 1, stddev: null, ci95: null, method: 'none' })
  })
})

describe('plusMinus', () => {
  it('prints mean ± σ with n', () => {
    expect(plusMinus({ n: 3, mean: 77.31, stddev: 0.42 }, 1, 'req/s')).toBe('77.3 ± 0.4 req/s (n=3)')
  })

  it('prints no ± for one sample', () => {
    expect(plusMinus({ n: 1, mean: 80, stddev: null }, 1, 'req/s')).toBe('80.0 req/s (n=1)')
  })
})
