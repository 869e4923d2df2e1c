/** Workload mixes (lab/core/mix.ts): request kinds, the weighted cycle, the mean demand. */
import { describe, expect, it } from 'vitest'
import { meanDemand, requestKinds, weightedCycle, workTarget } from '../../lab/core/mix.js'

describe('request kinds', () => {
  it('are one /work request without a mix, with the fault percentages when set', () => {
    expect(requestKinds({ io_ms: 50, cpu_ms: 0, bytes: 1024 })).toEqual([
      { label: 'io_ms=50 cpu_ms=0', path: '/work?io_ms=50&cpu_ms=0&bytes=1024', weight: 1, kind: 'work', ioMs: 50, cpuMs: 0 },
    ])
    expect(workTarget({ io_ms: 1, cpu_ms: 2, bytes: 3, crash_pct: 1 })).toBe('/work?io_ms=1&cpu_ms=2&bytes=3&crash_pct=1')
  })

  it("take a /work entry's missing fields from the workload, and ask for static files under /static/", () => {
    const kinds = requestKinds({ io_ms: 0, cpu_ms: 0, bytes: 2048, mix: [{ weight: 9, io_ms: 10 }, { weight: 1, static: 'a.css' }] })
    expect(kinds.map((k) => [k.label, k.path, k.weight, k.kind])).toEqual([
      ['io_ms=10', '/work?io_ms=10&cpu_ms=0&bytes=2048', 9, 'work'],
      ['static:a.css', '/static/a.css', 1, 'static'],
    ])
  })

  it('number two entries that would get the same label', () => {
    const kinds = requestKinds({ io_ms: 0, cpu_ms: 0, bytes: 1, mix: [{ weight: 1, io_ms: 5, bytes: 1 }, { weight: 1, io_ms: 5, bytes: 2 }] })
    expect(kinds.map((k) => k.label)).toEqual(['io_ms=5', 'io_ms=5 #2'])
  })
})

describe('the weighted cycle', () => {
  it('holds each kind as often as its weight says, reduced by their common divisor', () => {
    const cycle = weightedCycle([90, 10])
    expect(cycle).toHaveLength(10)
    expect(cycle.filter((i) => i === 1)).toHaveLength(1)
  })

  it('spreads the kinds evenly (smooth weighted round-robin), not in blocks', () => {
    expect(weightedCycle([5, 1, 1])).toEqual([0, 0, 1, 0, 2, 0, 0])
    expect(weightedCycle([1, 1])).toEqual([0, 1])
  })

  it('refuses weights that are not positive integers', () => {
    expect(() => weightedCycle([1, 0])).toThrow(RangeError)
    expect(() => weightedCycle([1.5])).toThrow(RangeError)
  })
})

describe('the mean demand', () => {
  it('is the weighted mean of the kinds: 9 × 10 ms and 1 × 500 ms give 59 ms', () => {
    const kinds = requestKinds({ io_ms: 0, cpu_ms: 0, bytes: 1, mix: [{ weight: 9, io_ms: 10 }, { weight: 1, io_ms: 500 }] })
    expect(meanDemand(kinds, false)).toEqual({ ioMs: 59, cpuMs: 0, workShare: 1 })
  })

  it('counts static files as no work, and says which share of requests reaches the workers', () => {
    const kinds = requestKinds({ io_ms: 0, cpu_ms: 0, bytes: 1, mix: [{ weight: 1, io_ms: 50 }, { weight: 4, static: 'a.css' }] })
    expect(meanDemand(kinds, false)).toEqual({ ioMs: 10, cpuMs: 0, workShare: 1 })
    expect(meanDemand(kinds, true)).toEqual({ ioMs: 10, cpuMs: 0, workShare: 0.2 })
  })
})
