import { describe, expect, it } from 'vitest'
import { chooseWindow, rarestKindPct, rareEventWindowS, WINDOW_RULES, windowNeeds, windowShortfalls } from '../../lab/core/window.js'

describe('chooseWindow', () => {
  it('stretches a 1.5 s quick window to 2 whole seconds when nothing else needs more (4 workers, 8 connections, 100 ms)', () => {
    // 5 × 100 ms = 0.5 s; 5 × 8 / 80 req/s = 0.5 s; 2 whole seconds win
    const w = chooseWindow({ durationS: 1.5, connections: 8, predictedMeanMs: 100, predictedPerSecond: 80, capS: 10 })
    expect(w).toMatchObject({ verdict: 'extended', durationS: 2, neededS: 2, rule: 'whole-seconds' })
    expect(w.message).toBe('measured 2 s instead of 1.5 s: a spread needs 2 whole seconds')
  })

  it('keeps the asked duration when it holds every rule', () => {
    const w = chooseWindow({ durationS: 5, connections: 8, predictedMeanMs: 100, predictedPerSecond: 80, capS: 10 })
    expect(w).toMatchObject({ verdict: 'as-asked', durationS: 5, rule: 'asked' })
  })

  it('extends to the whole seconds 5 latencies need: 645 ms per request → 3.225 s → 4 s', () => {
    // Uvicorn cpu-bound @64 (issue 11): about 3 responses per connection in 2 s
    const w = chooseWindow({ durationS: 2, connections: 64, predictedMeanMs: 645, capS: 10 })
    expect(w).toMatchObject({ verdict: 'extended', durationS: 4, rule: 'latency' })
    expect(w.neededS).toBeCloseTo(3.225, 12)
    expect(w.message).toBe('measured 4 s instead of 2 s: 5 × the predicted mean latency of 645 ms is 3.2 s')
  })

  it('sizes by completions where hung attempts answer nothing: 5 × 16 / 27.8 req/s = 2.88 s > 5 × 547.5 ms', () => {
    // event loop, 5 % hung for 10 s: cycle 547.5 ms, 16 connections → 29.2 attempts/s, 27.8 answered
    const answered = (16 / 547.5) * 1000 * 0.95
    const needs = windowNeeds({ durationS: 1, connections: 16, predictedMeanMs: 547.5, predictedPerSecond: answered, capS: 60 })
    expect(needs.find((n) => n.rule === 'completions')?.seconds).toBeCloseTo((5 * 16) / answered, 12)
    expect(needs.find((n) => n.rule === 'latency')?.seconds).toBeCloseTo(2.7375, 12)
  })

  it('sizes a rare-event level so 20 events are expected: 1 % of 100 attempts/s (99 answered) needs 20 s', () => {
    const w = chooseWindow({ durationS: 2, connections: 4, predictedMeanMs: 40, predictedPerSecond: 99, eventPct: 1, capS: 30 })
    expect(w).toMatchObject({ verdict: 'extended', durationS: 20, rule: 'rare-events' })
    expect(w.neededS).toBeCloseTo(20, 9)
  })

  it('sizes a mix so 20 of its rarest kind are expected: 1 in 10 at 75 req/s needs 2.7 s, 3.3 s with headroom, so 4 whole seconds', () => {
    const w = chooseWindow({ durationS: 2, connections: 12, predictedMeanMs: 160, predictedPerSecond: 75, rareKindPct: 10, capS: 30, margin: 1.25 })
    expect(w).toMatchObject({ verdict: 'extended', durationS: 4, rule: 'rare-kind' })
    expect(w.message).toBe("measured 4 s instead of 2 s: 20 requests of the mix's rarest kind (10 % of requests) take 2.7 s, 25 % more for headroom 3.3 s")
    // measured: 150 responses held 15 of them
    expect(windowShortfalls({ measuredS: 2, connections: 12, responses: 150, meanMs: 160, rareKindPct: 10 }).map((x) => x.rule)).toEqual(['rare-kind'])
  })

  it('reads the rarest kind of a mix sent by every connection, and none for one kind or a mix split by connection', () => {
    expect(rarestKindPct({ mix: [{ weight: 9 }, { weight: 1 }] })).toBe(10)
    expect(rarestKindPct({ mix: [{ weight: 1 }] })).toBeUndefined()
    expect(rarestKindPct({ mix: [{ weight: 9 }, { weight: 1 }], mix_split: 'connections' })).toBeUndefined()
    expect(rarestKindPct({})).toBeUndefined()
  })

  it('marks a level too short to trust when the rules need more than the cap, and measures the cap', () => {
    const w = chooseWindow({ durationS: 2, connections: 4, predictedMeanMs: 40, predictedPerSecond: 99, eventPct: 1, capS: 10 })
    expect(w).toMatchObject({ verdict: 'too-short', durationS: 10, rule: 'rare-events' })
    expect(w.message).toBe('too short to trust: 20 expected crashes or hangs at 1 % of requests take 20.0 s; measured 10 s (the cap)')
  })

  it('sizes a level the model says answers nothing (every worker held) by whole seconds only', () => {
    const w = chooseWindow({ durationS: 3, connections: 16, predictedMeanMs: Infinity, predictedPerSecond: 0, capS: 10 })
    expect(w).toMatchObject({ verdict: 'as-asked', durationS: 3, neededS: 2 })
  })

  it('sizes a level with no prediction (NaN) by whole seconds only', () => {
    expect(chooseWindow({ durationS: 1, connections: 16, predictedMeanMs: NaN, predictedPerSecond: NaN, capS: 10 })).toMatchObject({ durationS: 2, rule: 'whole-seconds' })
  })

  it('adds the headroom it is given to the rules that rest on the prediction, and says so', () => {
    const w = chooseWindow({ durationS: 2, connections: 64, predictedMeanMs: 800, predictedPerSecond: 80, capS: 30, margin: 1.25 })
    expect(w).toMatchObject({ verdict: 'extended', durationS: 5 })
    expect(w.neededS).toBeCloseTo(5, 12)
    expect(w.message).toMatch(/take 4\.0 s, 25 % more for headroom 5\.0 s$|is 4\.0 s, 25 % more for headroom 5\.0 s$/)
    // whole seconds rest on nothing predicted: no headroom
    expect(chooseWindow({ durationS: 1, connections: 8, predictedMeanMs: 50, predictedPerSecond: 160, capS: 30, margin: 1.25 })).toMatchObject({ durationS: 2, rule: 'whole-seconds' })
  })

  it('refuses a plan with no connections', () => {
    expect(() => chooseWindow({ durationS: 2, connections: 0, capS: 10 })).toThrow(RangeError)
  })
})

describe('rareEventWindowS', () => {
  it('gives events / (rate × pct): 20 hangs at 5 % of 40 attempts/s take 10 s', () => {
    expect(rareEventWindowS(40, 5)).toBeCloseTo(10, 12)
  })

  it('is endless when no event is expected', () => {
    expect(rareEventWindowS(40, 0)).toBe(Infinity)
  })
})

describe('windowShortfalls', () => {
  it('passes a level that holds every rule', () => {
    expect(windowShortfalls({ measuredS: 5, connections: 64, responses: 3200, meanMs: 100 })).toEqual([])
  })

  it('flags a 1.5 s window: 1 whole second has no spread', () => {
    const s = windowShortfalls({ measuredS: 1.5, connections: 8, responses: 240, meanMs: 50 })
    expect(s.map((x) => [x.rule, x.got])).toEqual([['whole-seconds', 1]])
  })

  it('flags 645 ms requests on 64 connections in 2 s: 3.1 latencies and 3.1 responses per connection', () => {
    const s = windowShortfalls({ measuredS: 2, connections: 64, responses: 198, meanMs: 645 })
    expect(s.map((x) => x.rule)).toEqual(['latency', 'completions'])
    expect(s[0]?.got).toBeCloseTo(2000 / 645, 9)
    expect(s[1]?.got).toBeCloseTo(198 / 64, 9)
    expect(s[1]?.message).toBe('3.1 responses per connection, fewer than 5')
  })

  it('uses the longer of measured and predicted latency', () => {
    const s = windowShortfalls({ measuredS: 3, connections: 1, responses: 100, meanMs: 10, predictedMeanMs: 800 })
    expect(s.map((x) => x.rule)).toEqual(['latency'])
    expect(s[0]?.got).toBeCloseTo(3.75, 12)
  })

  it('flags four expected hangs in two seconds as no measurement (5 % of 80 attempts)', () => {
    const s = windowShortfalls({ measuredS: 2, connections: 4, responses: 76, meanMs: 100, eventPct: 5 })
    expect(s.map((x) => x.rule)).toEqual(['rare-events'])
    expect(s[0]?.got).toBeCloseTo(4, 9)
    expect(s[0]?.needed).toBe(WINDOW_RULES.rareEvents)
  })
})
