/**
 * The open loop in the scenario format, the plan, the prediction and the
 * summary (lab/core/scenario.ts, plan.ts, open-level.ts, format-open.ts).
 */
import { describe, expect, it } from 'vitest'
import { formatSummary } from '../../lab/core/format.js'
import { runLabel } from '../../lab/core/labels.js'
import { openStationFor, predictOpenLevel } from '../../lab/core/open-level.js'
import { applyOverrides, parseOverride } from '../../lab/core/overrides.js'
import { makePlan } from '../../lab/core/plan.js'
import { validateScenario, type Scenario, type ScenarioInput } from '../../lab/core/scenario.js'
import openVsClosed from '../../scenarios/open-vs-closed/scenario.js'

const base = (over: Record<string, unknown> = {}): ScenarioInput =>
  ({
    name: 'x',
    title: 't',
    summary: 's',
    topologies: { pool: { server: { model: 'prefork', workers: 4 } } },
    workloads: { io: { io_ms: 50, cpu_ms: 0 } },
    load: { connections: [4], warmup_s: 1, duration_s: 3 },
    ...over,
  }) as ScenarioInput

const valid = (input: unknown): Scenario => {
  const v = validateScenario(input)
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value
}

describe('the open loop in the scenario format', () => {
  it('accepts load.mode open with rates, arrival and max_connections', () => {
    const s = valid(base({ load: { connections: [4], mode: 'open', rates: [20, 40], arrival: 'constant', max_connections: 16 } }))
    expect(s.load.rates).toEqual([20, 40])
  })

  it('names the field and the allowed range for a rate out of bounds', () => {
    const v = validateScenario(base({ load: { connections: [4], mode: 'open', rates: [0] } }))
    expect(v.ok).toBe(false)
    if (!v.ok) expect(v.problems).toEqual(['load.rates.0: 0 is not allowed; expected a number 0.1..100000 req/s'])
  })

  it('names the allowed values of mode and arrival', () => {
    const v = validateScenario(base({ load: { connections: [4], mode: 'half-open', arrival: 'bursty' } }))
    expect(v.ok).toBe(false)
    if (!v.ok) expect(v.problems).toEqual(["load.mode: \"half-open\" is not allowed; expected 'closed' or 'open'", "load.arrival: \"bursty\" is not allowed; expected 'poisson' or 'constant'"])
  })

  it('refuses an open topology without rates, naming the topology', () => {
    const v = validateScenario(base({ topologies: { pool: { server: { model: 'prefork' }, load: { mode: 'open' } } } }))
    expect(v.ok).toBe(false)
    if (!v.ok) expect(v.problems[0]).toMatch(/^topologies\.pool: load\.rates missing; expected a list of offered rates/)
  })

  it('takes --set paths into a topology load', () => {
    const set = parseOverride('topologies.open.load.rates=[10,30]')
    if (!set.ok) throw new Error(set.problem)
    const input = applyOverrides(openVsClosed, [set.value])
    if (!input.ok) throw new Error(input.problems.join())
    const p = makePlan(valid(input.value), { topologies: ['open'] })
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.levels.map((l) => l.openLoop?.ratePerSecond)).toEqual([10, 30])
  })
})

describe('the plan of an open loop', () => {
  it('makes one level per rate, labelled by its rate, holding max_connections in connections', () => {
    const p = makePlan(valid(base({ load: { connections: [4], mode: 'open', rates: [20, 60], max_connections: 16 } })))
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.levels.map((l) => [runLabel(l), l.connections, l.openLoop?.arrival])).toEqual([
      ['pool io @20 req/s', 16, 'poisson'],
      ['pool io @60 req/s', 16, 'poisson'],
    ])
  })

  it('runs one topology closed and one open in open-vs-closed, quick and full', () => {
    const s = valid(openVsClosed)
    const quick = makePlan(s, { quick: true })
    const full = makePlan(s)
    if (!quick.ok || !full.ok) throw new Error('plan refused')
    expect(quick.value.levels.map(runLabel)).toEqual([
      'closed io-50ms @8', 'closed io-50ms @64', 'open io-50ms @40 req/s', 'open io-50ms @72 req/s', 'open io-50ms @96 req/s',
    ])
    expect(quick.value.topologies.map((t) => t.load.mode)).toEqual(['closed', 'open'])
    expect(full.value.levels.filter((l) => l.openLoop).map((l) => l.openLoop?.ratePerSecond)).toEqual([20, 40, 60, 72, 80, 88, 96, 100])
    expect(quick.value.estimatedS).toBe(5 * 2.5)
  })
})

describe('the prediction of an open-loop level', () => {
  const def = (workers: number) => valid(base({ topologies: { pool: { server: { model: 'prefork', workers } } } })).topologies.pool!
  const io = valid(base()).workloads.io!

  it('is M/D/1 for one worker: 75 ms at half load (ρ = 0.5, S = 50 ms)', () => {
    const choice = openStationFor(def(1), io, 2)
    expect(choice).toEqual({ station: { kind: 'pool', workers: 1, serviceMs: 50 } })
    const p = predictOpenLevel(choice!, 10, 1, 3, 256)
    expect(p.meanMs).toBeCloseTo(75, 6)
    expect(p.perSecond).toBe(10)
    expect(p.rho).toBeCloseTo(0.5, 9)
  })

  it('is M/D/4 by Cosmetatos for four workers, and says so', () => {
    const choice = openStationFor(def(4), io, 2)
    const p = predictOpenLevel(choice!, 72, 1, 3, 256)
    expect(p.meanMs).toBeCloseTo(100, 0)
    expect(p.approximate).toMatch(/M\/D\/4 .*Cosmetatos/)
  })

  it('past capacity answers at capacity and predicts the growing queue, not a steady state', () => {
    const p = predictOpenLevel(openStationFor(def(4), io, 2)!, 96, 1, 3, 32)
    expect(p.perSecond).toBe(80)
    expect(p.rho).toBeCloseTo(1.2, 9)
    expect(p.meanMs).toBeCloseTo(381.25, 6) // queue 16·t capped at 28, / 80 req/s, + 50 ms, over 1..4 s
    expect(p.approximate).toMatch(/ρ = 1\.20 ≥ 1/)
  })

  it('is a delay plus one CPU server for an event loop, and nothing for a mix', () => {
    const loop = valid(base({ topologies: { loop: { server: { model: 'event-loop' } } } })).topologies.loop!
    const cpu = valid(base({ workloads: { c: { io_ms: 20, cpu_ms: 5 } } })).workloads.c!
    expect(openStationFor(loop, cpu, 2)?.station).toEqual({ kind: 'event-loop', ioMs: 20, cpuMs: 5 })
    const mixed = valid(base({ workloads: { m: { mix: [{ io_ms: 10 }, { io_ms: 500 }] } } })).workloads.m!
    expect(openStationFor(loop, mixed, 2)).toBeUndefined()
  })
})
