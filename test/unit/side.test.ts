/**
 * The probe's schedule (lab/load/side.ts): pauses drawn from 0.5–1.5× the
 * interval, so that a probe does not phase-lock to a busy server's jobs.
 */
import { describe, expect, it } from 'vitest'
import { probeGap } from '../../lab/load/side.js'

describe('the probe schedule', () => {
  it('draws each pause uniformly from 0.5 to 1.5 times the interval', () => {
    expect(probeGap(50, () => 0)).toBe(25)
    expect(probeGap(50, () => 0.5)).toBe(50)
    expect(probeGap(50, () => 0.999999)).toBeCloseTo(75, 3)
    const gaps = Array.from({ length: 20_000 }, () => probeGap(50))
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length
    expect(mean).toBeGreaterThan(49)
    expect(mean).toBeLessThan(51)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(25)
    expect(Math.max(...gaps)).toBeLessThan(75)
    // uniform: each fifth of the range gets a fifth of the draws (±2 percentage points)
    for (let k = 0; k < 5; k++) {
      const share = gaps.filter((g) => g >= 25 + 10 * k && g < 35 + 10 * k).length / gaps.length
      expect(share, `fifth ${k}`).toBeGreaterThan(0.18)
      expect(share, `fifth ${k}`).toBeLessThan(0.22)
    }
  })
})
