import { describe, expect, it } from 'vitest'
import { cpuPerResponseUs, describe as describeValues, littlesLaw, relativeSpread } from '../../lab/core/stats.js'

describe('describe', () => {
  it('gives mean, sample standard deviation, min and max', () => {
    expect(describeValues([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, stddev: Math.sqrt(32 / 7), min: 2, max: 9 })
  })

  it('gives a zero deviation for one value', () => {
    expect(describeValues([80])).toEqual({ mean: 80, stddev: 0, min: 80, max: 80 })
  })

  it('gives zeros for no values', () => {
    expect(describeValues([])).toEqual({ mean: 0, stddev: 0, min: 0, max: 0 })
  })
})

describe('littlesLaw', () => {
  it('expects 400 ms for 32 connections at 80 req/s', () => {
    expect(littlesLaw(32, 80, 412)).toEqual({ expectedMeanMs: 400, measuredMeanMs: 412, ratio: 1.03 })
  })

  it('has no expectation when nothing completed', () => {
    expect(littlesLaw(32, 0, null)).toEqual({ expectedMeanMs: null, measuredMeanMs: null, ratio: null })
  })
})

describe('relativeSpread', () => {
  it('is sigma over mean', () => {
    expect(relativeSpread({ mean: 80, stddev: 8, min: 70, max: 90 })).toBe(0.1)
  })
})

describe('cpuPerResponseUs', () => {
  it('divides the non-proxy processes’ CPU-seconds over the window by the answered responses, in µs', () => {
    // master 1 % + worker 49 % of a core for 2 s = 1 CPU-second; nginx's 30 % is left out; 2000 responses → 500 µs
    const processes = [
      { role: 'master', cpuPercent: { mean: 1 } },
      { role: 'worker', cpuPercent: { mean: 49 } },
      { role: 'proxy', cpuPercent: { mean: 30 } },
    ]
    expect(cpuPerResponseUs(processes, 2, 2000)).toBeCloseTo(500, 6)
  })

  it('is null when nothing was answered, rather than infinite', () => {
    expect(cpuPerResponseUs([{ role: 'server', cpuPercent: { mean: 80 } }], 1, 0)).toBeNull()
  })
})
