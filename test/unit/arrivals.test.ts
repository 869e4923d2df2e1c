import { describe, expect, it } from 'vitest'
import { arrivalInstants, seededRandom } from '../../lab/load/arrivals.js'

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - (xs[i] as number))
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const cvOf = (xs: number[]) => {
  const m = meanOf(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) / m
}

describe('Poisson arrivals', () => {
  // 100 s at 1000 req/s: ~100,000 gaps. The sample mean's relative standard error is
  // 1/√n ≈ 0.3 % and the CV's about 0.5 %, so ±3 % is ≥ 6 standard errors wide.
  const instants = [...arrivalInstants({ kind: 'poisson', ratePerS: 1000, untilMs: 100_000, random: seededRandom(42) })]

  it('have exponential gaps: mean 1/λ and coefficient of variation 1', () => {
    const g = gaps(instants)
    expect(g.length).toBeGreaterThan(90_000)
    expect(meanOf(g)).toBeGreaterThan(0.97)
    expect(meanOf(g)).toBeLessThan(1.03)
    expect(cvOf(g)).toBeGreaterThan(0.97)
    expect(cvOf(g)).toBeLessThan(1.03)
  })

  it('put λ·T arrivals in a window of T, with variance equal to the mean per second (index of dispersion 1)', () => {
    expect(instants.length).toBeGreaterThan(97_000)
    expect(instants.length).toBeLessThan(103_000)
    const perSecond = new Array<number>(100).fill(0)
    for (const t of instants) perSecond[Math.floor(t / 1000)]!++
    const m = meanOf(perSecond)
    const variance = perSecond.reduce((a, x) => a + (x - m) ** 2, 0) / 99
    // for 100 Poisson counts the dispersion's standard error is √(2/99) ≈ 0.14; constant spacing would give 0
    expect(variance / m).toBeGreaterThan(0.6)
    expect(variance / m).toBeLessThan(1.4)
  })

  it('are ascending and inside [0, until)', () => {
    expect(instants[0]).toBeGreaterThan(0)
    expect(instants.at(-1)).toBeLessThan(100_000)
    expect(gaps(instants).every((g) => g >= 0)).toBe(true)
  })

  it('repeat exactly for the same seed and differ for another', () => {
    const a = [...arrivalInstants({ kind: 'poisson', ratePerS: 50, untilMs: 2000, random: seededRandom(7) })]
    const b = [...arrivalInstants({ kind: 'poisson', ratePerS: 50, untilMs: 2000, random: seededRandom(7) })]
    const c = [...arrivalInstants({ kind: 'poisson', ratePerS: 50, untilMs: 2000, random: seededRandom(8) })]
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })
})

describe('constant arrivals', () => {
  it('are spaced exactly 1/λ apart from 0', () => {
    const xs = [...arrivalInstants({ kind: 'constant', ratePerS: 300, untilMs: 10_000 })]
    expect(xs).toHaveLength(3000)
    expect(xs[0]).toBe(0)
    for (const g of gaps(xs)) expect(g).toBeCloseTo(1000 / 300, 9)
    expect(xs.at(-1)).toBeCloseTo((2999 * 1000) / 300, 9)
  })

  it('stop before the end of the schedule', () => {
    expect([...arrivalInstants({ kind: 'constant', ratePerS: 10, untilMs: 1000 })]).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900])
  })
})

describe('arrivalInstants', () => {
  it('rejects a rate that is not positive and finite, naming it', () => {
    expect(() => arrivalInstants({ kind: 'poisson', ratePerS: 0, untilMs: 1000 }).next()).toThrow(/ratePerS/)
    expect(() => arrivalInstants({ kind: 'constant', ratePerS: Infinity, untilMs: 1000 }).next()).toThrow(/ratePerS/)
    expect(() => arrivalInstants({ kind: 'constant', ratePerS: 10, untilMs: -1 }).next()).toThrow(/untilMs/)
  })
})

describe('seededRandom', () => {
  it('is uniform on [0, 1): mean ½, variance 1/12', () => {
    const r = seededRandom(1)
    const xs = Array.from({ length: 100_000 }, () => r())
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(meanOf(xs)).toBeCloseTo(0.5, 2)
    expect(xs.reduce((a, x) => a + (x - 0.5) ** 2, 0) / xs.length).toBeCloseTo(1 / 12, 2)
  })
})
