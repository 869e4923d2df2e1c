import { describe, expect, it } from 'vitest'
import { makePlan } from '../../lab/core/plan.js'
import { validateScenario, type Scenario } from '../../lab/core/scenario.js'
import input from '../../scenarios/prefork-vs-async/scenario.js'

const scenario = (): Scenario => {
  const v = validateScenario(input)
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value
}

describe('makePlan', () => {
  it('expands topologies × workloads × connections in order', () => {
    const p = makePlan(scenario())
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.levels.map((l) => `${l.topology}/${l.workload}/${l.connections}`)).toEqual([
      'prefork/io-bound/1', 'prefork/io-bound/16', 'prefork/io-bound/128',
      'prefork/cpu-bound/1', 'prefork/cpu-bound/16', 'prefork/cpu-bound/128',
      'async/io-bound/1', 'async/io-bound/16', 'async/io-bound/128',
      'async/cpu-bound/1', 'async/cpu-bound/16', 'async/cpu-bound/128',
    ])
    expect(p.value.levels.map((l) => l.index)).toEqual([...Array(12).keys()])
    expect(p.value.estimatedS).toBe(48)
  })

  it('uses the quick load with --quick', () => {
    const p = makePlan(scenario(), { quick: true })
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.load).toEqual({ connections: [24], warmup_s: 0.25, duration_s: 2, max_duration_s: 30, repeat: 1, timeout_s: 10 })
    expect(p.value.levels).toHaveLength(4)
    expect(p.value.estimatedS).toBe(9)
  })

  it('runs only the topologies and workloads asked for', () => {
    const p = makePlan(scenario(), { topologies: ['async'], workloads: ['cpu-bound'] })
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.topologies.map((t) => t.id)).toEqual(['async'])
    expect(p.value.levels.map((l) => l.workload)).toEqual(['cpu-bound', 'cpu-bound', 'cpu-bound'])
  })

  it('repeats every level when asked, repeat by repeat, so each repeat gets a fresh topology', () => {
    const s = scenario()
    s.load.repeat = 2
    const p = makePlan(s, { topologies: ['prefork'] })
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.levels.map((l) => `${l.repeat}/${l.workload}/${l.connections}`)).toEqual([
      '0/io-bound/1', '0/io-bound/16', '0/io-bound/128', '0/cpu-bound/1', '0/cpu-bound/16', '0/cpu-bound/128',
      '1/io-bound/1', '1/io-bound/16', '1/io-bound/128', '1/cpu-bound/1', '1/cpu-bound/16', '1/cpu-bound/128',
    ])
  })

  it('takes --repeat over the scenario’s repeat, and refuses a count out of 1..20', () => {
    const p = makePlan(scenario(), { quick: true, repeat: 3, topologies: ['async'], workloads: ['io-bound'] })
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.load.repeat).toBe(3)
    expect(p.value.levels.map((l) => l.repeat)).toEqual([0, 1, 2])
    expect(makePlan(scenario(), { repeat: 0 })).toEqual({ ok: false, problems: ['--repeat 0: expected an integer 1..20'] })
  })

  it('measures the quick choice of topologies and workloads with --quick, unless --topology or --workload say otherwise', () => {
    const s = scenario()
    s.quick = { ...s.quick, topologies: ['async'], workloads: ['cpu-bound'] }
    const quick = makePlan(s, { quick: true })
    if (!quick.ok) throw new Error(quick.problems.join())
    expect(quick.value.levels.map((l) => `${l.topology}/${l.workload}`)).toEqual(['async/cpu-bound'])
    expect(quick.value.load).not.toHaveProperty('topologies')
    const asked = makePlan(s, { quick: true, topologies: ['prefork'] })
    if (!asked.ok) throw new Error(asked.problems.join())
    expect(asked.value.levels.map((l) => `${l.topology}/${l.workload}`)).toEqual(['prefork/cpu-bound'])
    const full = makePlan(s)
    if (!full.ok) throw new Error(full.problems.join())
    expect(full.value.topologies.map((t) => t.id)).toEqual(['prefork', 'async'])
  })

  it('names unknown ids with the known ones', () => {
    expect(makePlan(scenario(), { topologies: ['gthread'] })).toEqual({
      ok: false,
      problems: ['--topology gthread: unknown; expected one of prefork, async'],
    })
  })
  it('measures a topology with workloads only on those, and leaves out a topology left without levels', () => {
    const s = scenario()
    const own = { ...s, topologies: { ...s.topologies, async: { ...(s.topologies.async as Scenario['topologies'][string]), workloads: ['cpu-bound'] } } }
    const p = makePlan(own)
    if (!p.ok) throw new Error(p.problems.join())
    expect(p.value.levels.filter((l) => l.topology === 'async').map((l) => l.workload)).toEqual(['cpu-bound', 'cpu-bound', 'cpu-bound'])
    expect(p.value.levels.filter((l) => l.topology === 'prefork')).toHaveLength(6)
    const some = makePlan(own, { workloads: ['io-bound'] })
    if (!some.ok) throw new Error(some.problems.join())
    expect(some.value.topologies.map((t) => t.id)).toEqual(['prefork'])
    const none = makePlan(own, { topologies: ['async'], workloads: ['io-bound'] })
    expect(none.ok ? [] : none.problems).toEqual([expect.stringMatching(/^no level to measure/)])
  })

  it('rejects a topology naming a workload the scenario does not have', () => {
    const v = validateScenario({ ...input, topologies: { ...input.topologies, async: { ...input.topologies.async, workloads: ['nope'] } } })
    expect(v.ok ? [] : v.problems).toEqual([expect.stringMatching(/^topologies\.async\.workloads\.0: "nope" is not allowed/)])
  })
})
