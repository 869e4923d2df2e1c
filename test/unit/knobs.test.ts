import { assert, describe, expect, it } from 'vitest'
import { DEMO_LIMITS, knobsFor, planProblems, validateStart } from '../../lab/core/knobs.js'
import { makePlan } from '../../lab/core/plan.js'
import { validateScenario, type Scenario } from '../../lab/core/scenario.js'

const raw = {
  name: 'prefork-vs-async',
  title: 'Sync pre-fork workers vs one async event loop',
  summary: 's',
  topologies: {
    prefork: { server: { model: 'prefork', workers: 4 } },
    async: { server: { model: 'event-loop' } },
  },
  workloads: {
    'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 },
    'cpu-bound': { io_ms: 0, cpu_ms: 10, bytes: 1024 },
  },
  load: { connections: [1, 16, 128], warmup_s: 1, duration_s: 3, repeat: 1 },
  quick: { connections: [8, 64], warmup_s: 0.5, duration_s: 1.5 },
}

function scenario(input: unknown = raw): Scenario {
  const v = validateScenario(input)
  if (!v.ok) throw new Error(v.problems.join('\n'))
  return v.value
}
const catalogue = new Map([['prefork-vs-async', { raw, scenario: scenario() }]])
const STACKS = ['node', 'python']
const start = (body: unknown) => validateStart(body, catalogue, STACKS)

describe('the demo knobs of a scenario', () => {
  it('offers workers for each pre-fork topology, wait, CPU and size for each workload, and the load', () => {
    expect(knobsFor(scenario()).map((k) => k.id)).toEqual([
      'topologies.prefork.server.workers',
      'workloads.io-bound.io_ms',
      'workloads.io-bound.cpu_ms',
      'workloads.io-bound.bytes',
      'workloads.cpu-bound.io_ms',
      'workloads.cpu-bound.cpu_ms',
      'workloads.cpu-bound.bytes',
      'load.connections',
      'load.warmup_s',
      'load.duration_s',
    ])
  })

  it('gives each knob its demo range, unit and the defaults of a full and a quick run', () => {
    const knobs = new Map(knobsFor(scenario()).map((k) => [k.id, k]))
    expect(knobs.get('topologies.prefork.server.workers')).toMatchObject({ min: 1, max: 64, unit: 'workers', value: 4, quickValue: 4, kind: 'int' })
    expect(knobs.get('workloads.io-bound.io_ms')).toMatchObject({ min: 0, max: 5000, unit: 'ms', value: 50 })
    expect(knobs.get('load.connections')).toMatchObject({ min: 1, max: 1024, maxItems: 6, value: [1, 16, 128], quickValue: [8, 64], kind: 'int-list' })
    expect(knobs.get('load.duration_s')).toMatchObject({ min: 0.5, max: 60, unit: 's', value: 3, quickValue: 1.5, kind: 'number' })
  })
})

describe('a start request from the browser', () => {
  it('defaults to a quick run of everything on the node stack', () => {
    const v = start({ scenario: 'prefork-vs-async' })
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(v.value).toMatchObject({ quick: true, stack: 'node', topologies: ['prefork', 'async'], workloads: ['io-bound', 'cpu-bound'], set: [] })
    expect(v.value.plan.levels).toHaveLength(8)
  })

  it('turns knobs into --set overrides, load knobs onto quick: for a quick run', () => {
    const v = start({
      scenario: 'prefork-vs-async',
      workloads: ['io-bound'],
      knobs: { 'topologies.prefork.server.workers': 8, 'load.connections': [4, 32], 'load.duration_s': 2 },
    })
    expect(v.ok).toBe(true)
    if (!v.ok) return
    expect(v.value.set).toEqual(['topologies.prefork.server.workers=8', 'quick.connections=[4,32]', 'quick.duration_s=2'])
    expect(v.value.plan.load).toMatchObject({ connections: [4, 32], duration_s: 2, warmup_s: 0.5 })
    expect(v.value.plan.topologies[0]?.def.server.workers).toBe(8)
    expect(v.value.plan.levels.map((l) => `${l.topology}@${l.connections}`)).toEqual(['prefork@4', 'prefork@32', 'async@4', 'async@32'])
  })

  it('applies load knobs to load: for a full run', () => {
    const v = start({ scenario: 'prefork-vs-async', quick: false, topologies: ['async'], knobs: { 'load.connections': [2] } })
    expect(v.ok && v.value.set).toEqual(['load.connections=[2]'])
  })

  it.each([
    ['topologies.prefork.server.workers', 0, 'topologies.prefork.server.workers: 0 is not allowed; expected an integer 1..64 (demo limit)'],
    ['topologies.prefork.server.workers', 65, 'topologies.prefork.server.workers: 65 is not allowed; expected an integer 1..64 (demo limit)'],
    ['topologies.prefork.server.workers', 2.5, 'topologies.prefork.server.workers: 2.5 is not allowed; expected an integer 1..64 (demo limit)'],
    ['topologies.prefork.server.workers', '8', 'topologies.prefork.server.workers: "8" is not allowed; expected an integer 1..64 (demo limit)'],
    ['workloads.io-bound.io_ms', 5001, 'workloads.io-bound.io_ms: 5001 is not allowed; expected an integer 0..5000 ms (demo limit)'],
    ['load.duration_s', 61, 'load.duration_s: 61 is not allowed; expected a number 0.5..60 s (demo limit)'],
    ['load.connections', [8, 2000], 'load.connections.1: 2000 is not allowed; expected an integer 1..1024 (demo limit)'],
    ['load.connections', [], 'load.connections: [] is not allowed; expected a list of 1..6 connection counts, each 1..1024 (demo limit)'],
    ['load.connections', [1, 2, 3, 4, 5, 6, 7], 'load.connections: [1,2,3,4,5,6,7] is not allowed; expected a list of 1..6 connection counts, each 1..1024 (demo limit)'],
  ])('refuses %s = %j, naming the field', (field, value, message) => {
    expect(start({ scenario: 'prefork-vs-async', knobs: { [field]: value } })).toEqual({ ok: false, problems: [{ field, message }] })
  })

  it('refuses a knob it does not offer (no other field of the scenario can be set)', () => {
    const v = start({ scenario: 'prefork-vs-async', knobs: { 'topologies.prefork.server.timeout_s': 1 } })
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.problems[0]?.field).toBe('topologies.prefork.server.timeout_s')
    expect(v.problems[0]?.message).toMatch(/^topologies\.prefork\.server\.timeout_s: unknown knob; expected one of topologies\.prefork\.server\.workers, /)
  })

  it('refuses a scenario outside the catalogue, and paths', () => {
    for (const name of ['no-such', '../../etc', '/tmp/x/scenario.ts']) {
      const v = start({ scenario: name })
      assert(!v.ok, `${name} was accepted`)
      expect(v.problems[0]?.field).toBe('scenario')
    }
  })

  it('refuses fields it does not know, such as an output folder', () => {
    expect(start({ scenario: 'prefork-vs-async', out: '/etc' })).toEqual({ ok: false, problems: [{ field: 'out', message: 'out: unknown field; check the spelling' }] })
  })

  it('refuses unknown topologies, workloads and stacks', () => {
    const v = start({ scenario: 'prefork-vs-async', stack: 'ruby', topologies: ['nginx'], workloads: ['x'] })
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.problems.map((p) => p.field)).toEqual(['stack', 'topologies', 'workloads'])
    expect(v.problems[0]?.message).toBe('stack: "ruby" is not allowed; expected one of node, python')
  })

  it('refuses a body that is not an object', () => {
    const v = start([1, 2])
    expect(v.ok).toBe(false)
  })

  it('refuses a full run longer than the demo allows, even with no knob turned', () => {
    const long = { ...raw, name: 'long', load: { connections: [1, 2, 4, 8, 16, 32], warmup_s: 10, duration_s: 60 } }
    const v = validateStart({ scenario: 'long', quick: false }, new Map([['long', { raw: long, scenario: scenario(long) }]]), STACKS)
    expect(v.ok).toBe(false)
    if (v.ok) return
    expect(v.problems).toEqual([
      { field: 'load', message: `load: the run would take at least 1680 s; the demo allows ${DEMO_LIMITS.estimatedS.max} s (fewer levels, topologies or workloads, or a shorter duration)` },
    ])
  })

  it('checks the scenario’s own values against the demo bounds', () => {
    const wide = scenario({ ...raw, load: { connections: [2048], duration_s: 120 } })
    const plan = makePlan(wide, { topologies: ['prefork'], workloads: ['io-bound'] })
    expect(plan.ok && planProblems(plan.value).map((p) => p.message)).toEqual([
      'load.connections: 2048 is not allowed in the demo; expected 1..1024',
      'load.duration_s: 120 is not allowed in the demo; expected 0.5..60 s',
    ])
  })
})

describe('the offered-rate knob of an open loop', () => {
  const openRaw = {
    ...raw,
    name: 'open-vs-closed',
    topologies: {
      closed: { server: { model: 'prefork', workers: 4 } },
      open: { server: { model: 'prefork', workers: 4 }, load: { mode: 'open', rates: [20, 60, 100], max_connections: 32 }, quick: { rates: [40, 96] } },
    },
  }
  const openCatalogue = new Map([['open-vs-closed', { raw: openRaw, scenario: scenario(openRaw) }]])
  const startOpen = (body: object) => validateStart({ scenario: 'open-vs-closed', ...body }, openCatalogue, STACKS)

  it('is offered for each topology whose own load is open, in req/s, with the full and quick ladders as defaults', () => {
    const rates = knobsFor(scenario(openRaw)).filter((k) => k.unit === 'req/s')
    expect(rates).toEqual([
      expect.objectContaining({ id: 'topologies.open.load.rates', group: 'open', kind: 'int-list', min: 1, max: DEMO_LIMITS.rates.max, value: [20, 60, 100], quickValue: [40, 96] }),
    ])
    expect(knobsFor(scenario()).some((k) => k.unit === 'req/s')).toBe(false)
  })

  it("sets the topology's quick ladder for a quick run, and the level plan follows it", () => {
    const r = startOpen({ quick: true, knobs: { 'topologies.open.load.rates': [30, 90] } })
    assert(r.ok, JSON.stringify(r))
    expect(r.value.set).toEqual(['topologies.open.quick.rates=[30,90]'])
    const open = r.value.plan.topologies.find((t) => t.id === 'open')
    expect(open?.load.rates).toEqual([30, 90])
    expect(open?.load.mode).toBe('open')
  })

  it("sets the topology's load ladder for a full run", () => {
    const r = startOpen({ quick: false, topologies: ['open'], knobs: { 'topologies.open.load.rates': [50] } })
    assert(r.ok, JSON.stringify(r))
    expect(r.value.set).toEqual(['topologies.open.load.rates=[50]'])
    expect(r.value.plan.topologies[0]?.load.rates).toEqual([50])
  })

  it('refuses a rate above the demo bound, naming the knob and the range in req/s', () => {
    const r = startOpen({ knobs: { 'topologies.open.load.rates': [40, DEMO_LIMITS.rates.max + 1] } })
    assert(!r.ok)
    expect(r.problems).toEqual([{ field: 'topologies.open.load.rates', message: expect.stringMatching(/^topologies\.open\.load\.rates\.1: .*1\.\.5000 req\/s \(demo limit\)$/) }])
  })

  it("checks a scenario's own offered rates against the demo bounds", () => {
    const tooFast = { ...openRaw, topologies: { open: { ...openRaw.topologies.open, load: { mode: 'open', rates: [20_000] } } } }
    const plan = makePlan(scenario(tooFast), { quick: false })
    assert(plan.ok)
    expect(planProblems(plan.value)).toEqual([expect.objectContaining({ field: 'topologies.open.load.rates', message: expect.stringContaining('20000 is not allowed in the demo') })])
  })
})
