import { describe, expect, it } from 'vitest'
import type { Envelope, LabEvent, PlanEvent, SampleEvent } from '../../lab/core/events.js'
import type { Level } from '../../lab/core/plan.js'
import { liveLatencyCharts, liveThroughputCharts } from '../../web/src/live/charts.js'
import { activeSeconds, commandLabel, heldNow, replay } from '../../web/src/live/state.js'
import { statusLine } from '../../web/src/live/status.js'

const T0 = 1_800_000_000_000
const levels: Level[] = [
  { index: 0, topology: 'prefork', workload: 'io-bound', connections: 8, repeat: 0 },
  { index: 1, topology: 'prefork', workload: 'cpu-bound', connections: 8, repeat: 0 },
]
const plan = (command: string): PlanEvent => ({
  type: 'plan',
  at: T0,
  scenario: { name: 'prefork-vs-async', title: 't', summary: 's' },
  stack: 'node',
  quick: true,
  topologies: [{ id: 'prefork', model: 'prefork', workers: 4 }],
  workloads: { 'io-bound': { io_ms: 50, cpu_ms: 0, bytes: 1024 } as never, 'cpu-bound': { io_ms: 0, cpu_ms: 20, bytes: 1024 } as never },
  load: { connections: [8], warmup_s: 0, duration_s: 2, repeat: 1 },
  levels,
  estimatedS: 4,
  file: 'x.json',
  command,
})
const sample = (level: number, atS: number, perSecond: number): SampleEvent => ({
  type: 'sample',
  at: T0 + atS * 1000,
  level,
  topology: 'prefork',
  t: 1,
  warmup: false,
  perSecond,
  p50Ms: 10,
  p99Ms: 20,
  errors: 0,
  processes: [],
  loadGeneratorCpuPercent: 1,
})
const envs = (run: string, events: LabEvent[]): Envelope[] => events.map((event, seq) => ({ run, seq, event }))

/** A run: io-bound level at 1 s, held 10 s after it, the cpu-bound level's sample at 12 s. */
const heldRun = (run: string, command: string, release = true): Envelope[] =>
  envs(run, [
    plan(command),
    sample(0, 1, 2000),
    { type: 'hold', at: T0 + 1500, after: 0, reason: 'step' },
    ...(release ? ([{ type: 'release', at: T0 + 11_500, heldMs: 10_000 }, sample(1, 12, 40)] as LabEvent[]) : []),
  ])

describe('the live page’s holds, overlay and per-workload charts', () => {
  it('leaves held time out of the time axis: a sample 12 s after Run that followed a 10 s hold sits at 2 s', () => {
    const s = replay(heldRun('a', 'npx lab run prefork-vs-async --quick'))
    expect(activeSeconds(s.plan as PlanEvent, s.holds, T0 + 12_000)).toBe(2)
    const cpu = liveThroughputCharts(s).find((c) => c.id === 'live-throughput-cpu-bound')
    expect(cpu?.series[0]?.points).toEqual([{ x: 2, y: 40 }])
  })

  it('says the run is held, and why, until the release', () => {
    const held = replay(heldRun('a', 'npx lab run prefork-vs-async --quick', false))
    expect(heldNow(held)).toMatchObject({ after: 0, reason: 'step' })
    expect(statusLine(held).headline).toBe('Step: level 1 of 2 done')
    expect(heldNow(replay(heldRun('a', 'npx lab run prefork-vs-async --quick')))).toBeUndefined()
  })

  it('draws one throughput and one p99 chart per workload, so the cpu-bound 40 req/s has its own axis', () => {
    const s = replay(heldRun('a', 'npx lab run prefork-vs-async --quick'))
    expect(liveThroughputCharts(s).map((c) => c.id)).toEqual(['live-throughput-io-bound', 'live-throughput-cpu-bound'])
    expect(liveLatencyCharts(s).map((c) => c.id)).toEqual(['live-latency-io-bound', 'live-latency-cpu-bound'])
    const [io, cpu] = liveThroughputCharts(s)
    expect(io?.series[0]?.points.map((p) => p.y)).toEqual([2000])
    expect(cpu?.series[0]?.points.map((p) => p.y)).toEqual([40])
  })

  it('keeps the previous run’s lines, faint and labelled with its options, when a new run starts', () => {
    const first = heldRun('a', "npx lab run prefork-vs-async --quick --set 'topologies.prefork.server.workers=2'")
    const s = replay([...first, ...envs('b', [plan('npx lab run prefork-vs-async --quick'), sample(0, 1, 1900)])])
    expect(s.previous?.label).toBe('--quick --set topologies.prefork.server.workers=2')
    const io = liveThroughputCharts(s)[0]
    expect(io?.series.map((x) => [x.label, x.color])).toEqual([
      ['prefork', '#0072B2'],
      ['prefork · before (--quick --set topologies.prefork.server.workers=2)', '#0072B266'],
    ])
    expect(io?.series[1]?.points).toEqual([{ x: 1, y: 2000 }])
    expect(io?.caption).toMatch(/Faint lines: the previous run/)
  })

  it('labels a run without options "defaults", and keeps the older run when the newer one measured nothing', () => {
    expect(commandLabel(plan('npx lab run prefork-vs-async'))).toBe('defaults')
    const s = replay([...heldRun('a', 'npx lab run prefork-vs-async'), ...envs('b', [plan('npx lab run x --quick'), { type: 'done', at: T0, code: 3, complete: false }]), ...envs('c', [plan('npx lab run x')])])
    expect(s.previous?.run).toBe('a')
  })
})
