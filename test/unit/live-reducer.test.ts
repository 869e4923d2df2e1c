import { describe, expect, it } from 'vitest'
import type { Envelope, LabEvent, PlanEvent, SampleEvent } from '../../lab/core/events.js'
import type { Level } from '../../lab/core/plan.js'
import { ladderCharts, liveLatencyChart, liveThroughputChart, liveVerdicts } from '../../web/src/live/charts.js'
import { logTicks } from '../../web/src/panels/log-ticks.js'
import { initialState, reduce, replay } from '../../web/src/live/state.js'
import type { LineChartModel } from '../../web/src/report/types.js'
import { statusLine } from '../../web/src/live/status.js'
import { workerMap } from '../../web/src/live/workers.js'
import { makeRun } from './fixtures.js'

const T0 = 1_800_000_000_000
const levels: Level[] = [
  { index: 0, topology: 'prefork', workload: 'io-bound', connections: 8, repeat: 0 },
  { index: 1, topology: 'prefork', workload: 'io-bound', connections: 64, repeat: 0 },
  { index: 2, topology: 'async', workload: 'io-bound', connections: 8, repeat: 0 },
  { index: 3, topology: 'async', workload: 'io-bound', connections: 64, repeat: 0 },
]
const plan: PlanEvent = {
  type: 'plan',
  at: T0,
  scenario: { name: 'prefork-vs-async', title: 'Sync pre-fork workers vs one async event loop', summary: 's' },
  stack: 'node',
  quick: true,
  topologies: [
    { id: 'prefork', model: 'prefork', workers: 4 },
    { id: 'async', model: 'event-loop' },
  ],
  workloads: { 'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 } as never },
  load: { connections: [8, 64], warmup_s: 0.5, duration_s: 1.5, repeat: 1 },
  levels,
  estimatedS: 8,
  file: 'results/prefork-vs-async/x.json',
  command: 'npx lab run prefork-vs-async --quick',
}
const procs = [
  { pid: 100, role: 'master' as const },
  { pid: 101, role: 'worker' as const },
  { pid: 102, role: 'worker' as const },
]

function sample(level: number, t: number, over: Partial<SampleEvent> = {}): SampleEvent {
  return {
    type: 'sample',
    at: T0 + (level * 3 + t) * 1000,
    level,
    topology: levels[level]?.topology ?? 'prefork',
    t,
    warmup: t === 1,
    perSecond: 80,
    p50Ms: 100,
    p99Ms: 110,
    errors: 0,
    processes: procs.map((p) => ({ ...p, cpuPercent: 2 })),
    loadGeneratorCpuPercent: 6,
    workers: [
      { pid: 101, busy: true, busyFraction: 1, requests: 10 * t },
      { pid: 102, busy: false, busyFraction: 0.25, requests: 9 * t },
    ],
    ...over,
  }
}

/** A whole run's events, in order, as envelopes of run `r1`. */
function story(): Envelope[] {
  const events: LabEvent[] = [plan]
  levels.forEach((level, i) => {
    events.push({ type: 'level-start', at: T0 + i * 3000 + 100, level, processes: level.topology === 'prefork' ? procs : [{ pid: 200, role: 'server' }] })
    const asyncOver = level.topology === 'async' ? { workers: undefined, processes: [{ pid: 200, role: 'server' as const, cpuPercent: 27 }], perSecond: level.connections * 19 } : {}
    events.push(sample(i, 1, asyncOver), sample(i, 2, asyncOver))
    const perSecond = level.topology === 'prefork' ? 80 : level.connections * 19
    events.push({ type: 'level-done', at: T0 + i * 3000 + 2900, level: i, run: makeRun({ topology: level.topology, connections: level.connections, perSecond }) })
  })
  events.push({ type: 'warning', at: T0 + 12_000, warning: { code: 'run-too-short', run: 0, message: 'few' } })
  events.push({ type: 'done', at: T0 + 12_500, code: 0, complete: true, file: 'x.json', report: 'x.html', links: { report: '/results/prefork-vs-async/x.html' } })
  return events.map((event, seq) => ({ run: 'r1', seq, event }))
}

describe('the live reducer', () => {
  it('starts idle and says what to do', () => {
    expect(initialState().status).toBe('idle')
    expect(statusLine(initialState()).headline).toBe('Ready')
  })

  it('lists every level of the plan as pending', () => {
    const s = replay(story().slice(0, 1))
    expect(s.status).toBe('running')
    expect(s.levels.map((l) => l.state)).toEqual(['pending', 'pending', 'pending', 'pending'])
    expect(statusLine(s).headline).toBe('Starting Sync pre-fork workers vs one async event loop')
  })

  it('follows a level from start to samples to done', () => {
    const env = story()
    let s = replay(env.slice(0, 3)) // plan, level-start 0, first sample
    expect(s.current).toBe(0)
    expect(s.levels[0]?.state).toBe('running')
    expect(s.samples).toHaveLength(1)
    expect(statusLine(s)).toEqual({
      headline: 'Level 1 of 4: prefork io-bound @8',
      detail: 'warming up, second 1: 80 req/s, p99 110.0 ms',
      progress: 0.5 / 4, // second 1 of 2 (0.5 + 1.5 s) of the first of four levels
    })
    s = replay(env.slice(3, 5), s) // second sample, level-done
    expect(s.levels[0]?.state).toBe('done')
    expect(s.runs).toHaveLength(1)
    expect(s.current).toBeNull()
  })

  it('ends in the same state whether the events arrive live or as history', () => {
    const env = story()
    const live = env.reduce(reduce, initialState())
    const late = replay(env)
    expect(late).toEqual(live)
    expect(late.status).toBe('done')
    expect(late.runs).toHaveLength(4)
    expect(late.warnings).toHaveLength(1)
  })

  it('ignores an event it has already applied (a reconnect that replays)', () => {
    const env = story()
    const s = replay(env.slice(0, 4))
    expect(reduce(s, env[2] as Envelope)).toBe(s)
  })

  it('starts over when another run’s events arrive', () => {
    const s = replay(story())
    const next = reduce(s, { run: 'r2', seq: 0, event: { ...plan, at: T0 + 60_000 } })
    expect(next.run).toBe('r2')
    expect(next.runs).toEqual([])
    expect(next.status).toBe('running')
  })

  it('marks a stopped run and the levels it never reached', () => {
    const env = story().slice(0, 6) // plan, level 0 (start, 2 samples, done), level-start 1
    const s = reduce(replay(env), { run: 'r1', seq: 6, event: { type: 'done', at: T0 + 4000, code: 130, complete: false } })
    expect(s.status).toBe('stopped')
    expect(s.levels.map((l) => l.state)).toEqual(['done', 'skipped', 'skipped', 'skipped'])
    expect(statusLine(s)).toMatchObject({ headline: 'Stopped', detail: '1 of 4 levels measured before it was stopped; what was measured is saved.' })
  })

  it('says why a run failed', () => {
    const s = reduce(replay(story().slice(0, 1)), { run: 'r1', seq: 1, event: { type: 'done', at: T0, code: 1, complete: false, error: 'prefork: the server exited\nmore' } })
    expect(statusLine(s)).toMatchObject({ headline: 'Failed (code 1)', detail: 'prefork: the server exited' })
  })
})

describe('the live charts', () => {
  it('draws throughput as one line per topology against seconds since Run', () => {
    const c = liveThroughputChart(replay(story().slice(0, 4)))
    expect(c.series.map((s) => s.label)).toEqual(['prefork', 'async'])
    expect(c.series[0]?.points).toEqual([
      { x: 1, y: 80 },
      { x: 2, y: 80 },
    ])
    expect(c.series[0]?.color).toBe('#0072B2')
    expect(c.series[1]?.color).toBe('#D55E00') // the report's colours, in plan order
  })

  it('marks each started level along the time axis, every other one shaded', () => {
    const c = liveThroughputChart(replay(story()))
    expect(c.bands.map((b) => [b.label, b.from, b.to, b.shade])).toEqual([
      ['@8', 0.1, 2.9, true],
      ['@64', 3.1, 5.9, false],
      ['@8', 6.1, 8.9, true],
      ['@64', 9.1, 11.9, false],
    ])
  })

  it('keeps the time axis as wide as the estimated run, so lines grow left to right', () => {
    const c = liveThroughputChart(replay(story().slice(0, 3)))
    expect(c.x.min).toBe(0)
    expect(c.x.max).toBe(Math.ceil(8 * 1.15 + 2 * 0.5 + 1))
  })

  it('draws p99 on a log axis with 1-2-5 ticks around the data', () => {
    const c = liveLatencyChart(replay(story().slice(0, 4)))
    expect(c.y).toMatchObject({ type: 'logarithmic', min: 100, max: 200, ticks: [100, 200] })
    expect(c.series[0]?.points.map((p) => p.y)).toEqual([110, 110])
  })

  it('rounds log ticks out to the 1-2-5 sequence', () => {
    expect(logTicks(47, 840)).toEqual({ ticks: [20, 50, 100, 200, 500, 1000], min: 20, max: 1000 })
    expect(logTicks(0.4, 3)).toEqual({ ticks: [0.2, 0.5, 1, 2, 5], min: 0.2, max: 5 })
  })

  it('draws the report’s throughput-against-connections chart from the levels measured so far', () => {
    const charts = ladderCharts(replay(story()))
    expect(charts).toHaveLength(1)
    const chart = charts[0] as LineChartModel
    expect(chart.kind).toBe('line')
    expect(chart.series.filter((s) => s.style === 'line').map((s) => s.points)).toEqual([
      [{ x: 8, y: 80 }, { x: 64, y: 80 }],
      [{ x: 8, y: 152 }, { x: 64, y: 1216 }],
    ])
  })

  it('draws the first level measured per topology, under its own id so the page swaps the chart when a second level makes it lines', () => {
    const first = ladderCharts(replay(story().slice(0, 5)))
    expect(first.map((c) => [c.kind, c.id])).toEqual([['bar', 'lab-throughput-io-bound-by-topology']])
    expect(first[0]?.caption).toContain('One level, 8 connections')
    expect(ladderCharts(replay(story())).map((c) => [c.kind, c.id])).toEqual([['line', 'lab-throughput-io-bound']])
  })

  it('gives the report’s verdict at the end', () => {
    expect(liveVerdicts(replay(story())).map((v) => v.text)).toEqual(['io-bound @64: async served 15.2× (95 % CI 15.0–15.4×) the answered req/s of prefork'])
  })
})

describe('the worker map', () => {
  it('is empty before any level starts', () => {
    expect(workerMap(replay(story().slice(0, 1)))).toBeNull()
  })

  it('lights each pre-fork worker by its busy share, with its CPU and requests', () => {
    const m = workerMap(replay(story().slice(0, 4)))
    expect(m?.boxes.map((b) => [b.role, b.pid, b.busy, b.intensity, b.requests])).toEqual([
      ['master', 100, false, 0, undefined],
      ['worker', 101, true, 1, 20],
      ['worker', 102, false, 0.25, 18],
      ['load generator', 0, true, 0.06, undefined],
    ])
    expect(m?.caption).toBe('1 of 2 workers busy; each serves one request at a time.')
  })

  it('says where the extra connections wait when every worker is busy', () => {
    const env = story().slice(0, 7) // level 1 (@64) started, one sample
    const busy = sample(1, 1, { workers: [{ pid: 101, busy: true, busyFraction: 1, requests: 5 }, { pid: 102, busy: true, busyFraction: 1, requests: 5 }] })
    const s = reduce(replay(env), { run: 'r1', seq: 7, event: busy })
    expect(workerMap(s)?.caption).toBe('2 of 2 workers busy; each serves one request at a time, so up to 62 of the 64 connections wait in the accept queue.')
  })

  it('shows an event loop as one process lit by its CPU', () => {
    const m = workerMap(replay(story().slice(0, 11))) // async @8 started, one sample
    expect(m?.model).toBe('event-loop')
    expect(m?.boxes.map((b) => [b.role, b.busy, b.intensity])).toEqual([
      ['server', true, 0.27],
      ['load generator', true, 0.06],
    ])
    expect(m?.caption).toBe('One process, one event loop: all 8 connections in flight at once; it used 27 % of a core.')
  })
})
