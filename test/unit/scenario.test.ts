import { describe, expect, it } from 'vitest'
import { validateScenario, type ScenarioInput } from '../../lab/core/scenario.js'
import scenario from '../../scenarios/prefork-vs-async/scenario.js'

const base = (): ScenarioInput => structuredClone(scenario)

describe('validateScenario', () => {
  it('accepts the prefork-vs-async scenario and fills in the defaults', () => {
    const v = validateScenario(base(), 'prefork-vs-async')
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(v.value.topologies.prefork?.server).toEqual({ model: 'prefork', workers: 4, timeout_s: 30, backlog: 2048 })
    expect(v.value.load).toEqual({ connections: [1, 16, 128], warmup_s: 1, duration_s: 3, max_duration_s: 30, repeat: 1, timeout_s: 10 })
  })

  it('refuses a quick choice of topologies the scenario does not have', () => {
    const s = base() as Record<string, any>
    s.quick = { ...s.quick, topologies: ['async', 'gthread'] }
    expect(validateScenario(s)).toEqual({ ok: false, problems: ['quick.topologies.1: "gthread" is not allowed; expected one of prefork, async'] })
  })

  it('takes connection ladders up to 10,000 and no further', () => {
    const s = base() as Record<string, any>
    s.load.connections = [10_000]
    expect(validateScenario(s).ok).toBe(true)
    s.load.connections = [10_001]
    expect(validateScenario(s)).toEqual({ ok: false, problems: ['load.connections.0: 10001 is not allowed; expected an integer 1..10000'] })
  })

  it('names the path, the value and what is allowed for a bad number', () => {
    const s = base() as Record<string, any>
    s.topologies.prefork.server.workers = -1
    const v = validateScenario(s)
    expect(v).toEqual({ ok: false, problems: ['topologies.prefork.server.workers: -1 is not allowed; expected an integer 1..64'] })
  })

  it('reports every problem, one line each', () => {
    const s = base() as Record<string, any>
    s.workloads['io-bound'].io_ms = 'fifty'
    s.load.connections = []
    const v = validateScenario(s)
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.problems).toEqual([
      'workloads.io-bound.io_ms: "fifty" is not allowed; expected an integer 0..60000 ms',
      'load.connections: [] is not allowed; expected a non-empty list of connection counts, e.g. [1, 16, 128]',
    ])
  })

  it('rejects an unknown field so typos do not pass silently', () => {
    const s = base() as Record<string, any>
    s.topologies.prefork.server.workerz = 8
    const v = validateScenario(s)
    expect(v).toEqual({ ok: false, problems: ['topologies.prefork.server.workerz: unknown field; did you mean `workers`?'] })
  })

  it('rejects an unknown model with the allowed ones', () => {
    const s = base() as Record<string, any>
    s.topologies.async.server.model = 'threads'
    const v = validateScenario(s)
    expect(v).toEqual({ ok: false, problems: ["topologies.async.server.model: \"threads\" is not allowed; expected 'prefork', 'threaded' or 'event-loop'"] })
  })

  it('says which field is missing', () => {
    const s = base() as Record<string, any>
    delete s.title
    const v = validateScenario(s)
    expect(v).toEqual({ ok: false, problems: ['title: missing; expected a one-line title'] })
  })

  it('requires the name to match the folder', () => {
    const v = validateScenario(base(), 'other-folder')
    expect(v).toEqual({ ok: false, problems: ['name: "prefork-vs-async" is not allowed; expected the folder\'s name "other-folder"'] })
  })
})
