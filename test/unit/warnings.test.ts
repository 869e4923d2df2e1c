import { describe, expect, it } from 'vitest'
import { warningsFor } from '../../lab/core/warnings.js'
import { makeRun } from './fixtures.js'

const codes = (run: ReturnType<typeof makeRun>) => warningsFor(run, 0).map((w) => w.code)

describe('warningsFor', () => {
  it('finds nothing wrong with a clean level', () => {
    expect(warningsFor(makeRun(), 0)).toEqual([])
  })

  it("flags a mean latency more than 10 % off Little's law, with both numbers", () => {
    const w = warningsFor(makeRun({ connections: 32, perSecond: 80, meanMs: 460 }), 3)
    expect(w).toHaveLength(1)
    expect(w[0]?.code).toBe('littles-law-mismatch')
    expect(w[0]?.run).toBe(3)
    expect(w[0]?.message).toContain('mean latency 460.0 ms is 1.15× what Little\'s law gives for 32 connections at 80.0 req/s (400.0 ms)')
  })

  it("accepts a latency 9 % off Little's law", () => {
    expect(codes(makeRun({ meanMs: 436 }))).toEqual([])
  })

  it('flags a load generator above 85 % of a core', () => {
    expect(codes(makeRun({ loadGenerator: { cpuPercent: { mean: 92, max: 99 } } }))).toEqual(['client-saturated'])
  })

  it('flags errors with their kinds and statuses', () => {
    const run = makeRun({ errors: { total: 5, timeouts: 2, resets: 0, non2xx: 3, byStatus: { '200': 200, '503': 3 } } })
    const w = warningsFor(run, 0)
    expect(w.map((x) => x.code)).toEqual(['errors-seen'])
    expect(w[0]?.message).toContain('2 timeouts, 3 non-2xx responses (503: 3)')
  })

  it('flags a level with too few responses instead of a wide spread', () => {
    const run = makeRun({ connections: 1, perSecond: 5 })
    run.requests.total = 15
    run.requests.perSecond.stddev = 3
    expect(codes(run)).toEqual(['run-too-short'])
  })

  it('flags per-second throughput that varies more than 20 %', () => {
    const run = makeRun()
    run.requests.perSecond.stddev = 20
    expect(codes(run)).toEqual(['spread-too-wide'])
  })

  it('flags throughput more than 15 % off the prediction, with a likely cause', () => {
    const run = makeRun({ perSecond: 80, prediction: { perSecond: 100, meanMs: 320 } })
    run.requests.total = 400
    const w = warningsFor(run, 0)
    expect(w.map((x) => x.code)).toEqual(['model-mismatch'])
    expect(w[0]?.message).toContain('measured 80.0 req/s is 0.80× the 100.0 req/s theory predicts')
    expect(w[0]?.message).toContain('other processes on the machine sharing the cores')
  })

  it('blames a saturated client first when theory and measurement disagree', () => {
    const run = makeRun({ perSecond: 80, prediction: { perSecond: 120, meanMs: 200 }, loadGenerator: { cpuPercent: { mean: 95, max: 99 } } })
    const w = warningsFor(run, 0).find((x) => x.code === 'model-mismatch')
    expect(w?.message).toContain('The load generator was saturated')
  })

  it('accepts throughput within 15 % of the prediction', () => {
    expect(codes(makeRun({ perSecond: 80, prediction: { perSecond: 90, meanMs: 355 } }))).toEqual([])
  })
})

describe('warningsFor a level with no responses', () => {
  it('calls it the lesson when theory also says nothing is answered', () => {
    const run = makeRun({ perSecond: 80, prediction: { perSecond: 0, meanMs: 10_000 } })
    run.requests.total = 0
    const w = warningsFor(run, 0)
    expect(w.map((x) => x.code)).toEqual(['no-responses'])
    expect(w[0]?.message).toContain('this is the lesson, not a fault')
  })
})
