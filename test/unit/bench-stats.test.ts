import { describe, expect, it } from 'vitest'
import { bootstrapRatio, median, quantile, spread } from '../../bench/stats.js'

describe('quantile', () => {
  it("matches R's default (type 7) on 1..10: 3.25, 5.5, 7.75", () => {
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]
    expect(quantile(xs, 0.25)).toBe(3.25)
    expect(quantile(xs, 0.5)).toBe(5.5)
    expect(quantile(xs, 0.75)).toBe(7.75)
    expect([quantile(xs, 0), quantile(xs, 1)]).toEqual([1, 10])
  })

  it('refuses no values and p outside 0..1', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError)
    expect(() => quantile([1], 1.5)).toThrow(RangeError)
  })
})

describe('median', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('spread', () => {
  it('gives median and interquartile range of five trials (NumPy: 29,800, 31,000, 33,500)', () => {
    expect(spread([25_579, 40_755, 31_000, 33_500, 29_800])).toEqual({ n: 5, median: 31_000, q1: 29_800, q3: 33_500, iqr: 3_700, min: 25_579, max: 40_755 })
  })

  it('gives one trial no spread: an interquartile range of 0', () => {
    expect(spread([7])).toMatchObject({ n: 1, median: 7, iqr: 0 })
  })
})

describe('bootstrapRatio', () => {
  const lab = [31_200, 30_400, 32_100, 29_900, 31_800, 30_700, 31_500, 30_100]
  const plain = [32_500, 31_900, 33_400, 31_000, 33_100, 32_200, 32_800, 31_600]

  it('gives the same interval for the same seed, and another for another seed', () => {
    const one = bootstrapRatio(lab, plain, { seed: 7, resamples: 2000 })
    expect(bootstrapRatio(lab, plain, { seed: 7, resamples: 2000 })).toEqual(one)
    expect(bootstrapRatio(lab, plain, { seed: 8, resamples: 2000 }).ci95).not.toEqual(one.ci95)
  })

  it('gives the ratio of medians and an interval around it', () => {
    const r = bootstrapRatio(lab, plain, { seed: 1, resamples: 4000 })
    expect(r.ratio).toBeCloseTo(median(lab) / median(plain), 12)
    expect(r.ci95[0]).toBeLessThan(r.ratio)
    expect(r.ci95[1]).toBeGreaterThan(r.ratio)
    // the interval cannot reach beyond the extreme ratios any resample could give
    expect(r.ci95[0]).toBeGreaterThanOrEqual(Math.min(...lab) / Math.max(...plain))
    expect(r.ci95[1]).toBeLessThanOrEqual(Math.max(...lab) / Math.min(...plain))
  })

  it('gives trials with no variation an interval of one point: 2 / 1', () => {
    expect(bootstrapRatio([2, 2, 2], [1, 1, 1, 1], { resamples: 500 }).ci95).toEqual([2, 2])
  })

  it('covers the true ratio 0.96 in 95 % of 200 seeded experiments, give or take', () => {
    // samples of sizes 9 and 9 from two uniform distributions centred at 96 and 100
    let covered = 0
    let s = 12345
    const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647
    for (let e = 0; e < 200; e++) {
      const a = Array.from({ length: 9 }, () => 96 + (rnd() - 0.5) * 10)
      const b = Array.from({ length: 9 }, () => 100 + (rnd() - 0.5) * 10)
      const { ci95 } = bootstrapRatio(a, b, { seed: e + 1, resamples: 400 })
      if (ci95[0] <= 0.96 && 0.96 <= ci95[1]) covered++
    }
    // percentile intervals on 9 trials run a little narrow; 85–100 % rejects a broken interval (0 % or 100 % with a huge width)
    expect(covered).toBeGreaterThan(170)
    expect(covered).toBeLessThan(200)
  })

  it('refuses an empty side, a median of 0 and too few resamples', () => {
    expect(() => bootstrapRatio([], [1])).toThrow(RangeError)
    expect(() => bootstrapRatio([1], [0, 0, 1])).toThrow(RangeError)
    expect(() => bootstrapRatio([1], [1], { resamples: 10 })).toThrow(RangeError)
  })
})
