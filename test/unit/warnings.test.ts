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

describe('warningsFor, diagnosing from the data (with the machine’s cores)', () => {
  /** The event loop of issue 11: 4,096 connections waiting 50 ms, the loop at 103 % of a core. */
  const saturatedLoop = () =>
    makeRun({
      topology: 'async',
      connections: 4096,
      perSecond: 12_525,
      processes: [{ role: 'server', pid: 4242, cpuPercent: { mean: 103, max: 110 }, rssBytes: { mean: 1e8, max: 1e8 }, requests: 62_625 }],
      loadGenerator: { cpuPercent: { mean: 60, max: 70 } },
    })

  it('names CPU saturation where the textbook model is far off, instead of a short run', () => {
    const run = saturatedLoop()
    run.prediction = { perSecond: 12_400, meanMs: 330, basis: 'this-machine', textbook: { perSecond: 81_920, meanMs: 50 }, thisMachine: { perSecond: 12_400, meanMs: 330, clientCores: 0.4, serverCores: 1.6, clientBound: false } }
    const w = warningsFor(run, 0, { cores: 2 })
    expect(w.map((x) => x.code)).toContain('cpu-saturated')
    expect(w.find((x) => x.code === 'cpu-saturated')?.message).toContain('an event loop runs on one thread')
    // "this machine" agrees with the measurement: no model-mismatch
    expect(w.map((x) => x.code)).not.toContain('model-mismatch')
  })

  it('blames the saturation the data shows when the calibrated model is off too, not the window', () => {
    const run = saturatedLoop()
    run.prediction = { perSecond: 20_000, meanMs: 205, basis: 'this-machine', textbook: { perSecond: 81_920, meanMs: 50 }, thisMachine: { perSecond: 20_000, meanMs: 205, clientCores: 0.6, serverCores: 1.4, clientBound: false } }
    const mismatch = warningsFor(run, 0, { cores: 2 }).find((x) => x.code === 'model-mismatch')
    expect(mismatch?.message).toContain('the calibrated model ("this machine") predicts')
    expect(mismatch?.message).toContain('Likely cause, from the data: CPU saturation')
    expect(mismatch?.message).not.toContain('The run was short')
  })

  it('says nothing of saturation where the textbook model already agrees (a CPU-bound level at its ceiling)', () => {
    const run = saturatedLoop()
    run.prediction = { perSecond: 12_500, meanMs: 328 }
    expect(warningsFor(run, 0, { cores: 2 }).map((x) => x.code)).toEqual([])
  })

  it('marks a window too short to trust by the window rules: 645 ms requests on 64 connections over 2 s', () => {
    const run = makeRun({ connections: 64, perSecond: 99, meanMs: 645, durationS: 2 })
    run.requests.total = 198
    const w = warningsFor(run, 0, { cores: 2 })
    expect(w.map((x) => x.code)).toEqual(['too-short-to-trust'])
    expect(w[0]?.message).toContain('3.1 responses per connection, fewer than 5')
  })

  it('counts the rare events a fault level expects: 5 % hangs among 240 responses are too few', () => {
    const run = makeRun({ connections: 16, perSecond: 30, meanMs: 533 })
    run.durationS = 8
    run.requests.total = 240
    expect(warningsFor(run, 0, { cores: 2, eventPct: 5 }).map((x) => x.code)).toContain('too-short-to-trust')
    expect(warningsFor(run, 0, { cores: 2 }).map((x) => x.code)).not.toContain('too-short-to-trust')
  })
})
