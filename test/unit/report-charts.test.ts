import { describe, expect, it } from 'vitest'
import { buildReport } from '../../web/src/report/build.js'
import { latencyChart } from '../../web/src/report/latency.js'
import { littlesLawChart } from '../../web/src/report/littles.js'
import { logTicks } from '../../web/src/panels/log-ticks.js'
import { gateReport } from '../../web/src/report/gate.js'
import { throughputChart } from '../../web/src/report/throughput.js'
import { scenarioKnob } from '../../web/src/report/knob.js'
import type { BarChartModel, LineChartModel } from '../../web/src/report/types.js'
import { load, singleLevel, workerSweep } from '../support/chart-fixtures.js'

describe('the throughput chart of a single-level scenario', () => {
  const chart = throughputChart([singleLevel()], 'cpu-20ms') as BarChartModel

  it('gives each topology its own place on x instead of stacking dots on one connection count', () => {
    expect(chart.kind).toBe('bar')
    expect(chart.categories).toEqual([['prefork'], ['async']])
    expect(chart.series[0]).toMatchObject({ label: 'answered req/s (measured)', style: 'dots', values: [94.25, 48.5] })
  })

  it('shows the model’s predictions as markers beside the measured dots, where the runs carry them', () => {
    const theory = chart.series.find((s) => s.label === 'theory (queueing model)')
    expect(theory).toMatchObject({ style: 'dots', marker: 'dash', values: [96.95, 50] })
    expect(chart.caption).toContain(' Model: a dash (—) at a topology is theory (queueing model).')
    expect(chart.caption).not.toContain('cross')
    expect(chart.table.columns).toEqual(['topology', 'answered', 'theory', 'measured ÷ theory (good ≈ 1.00)'])
    expect(chart.table.rows).toEqual([
      ['prefork', '94.3', '97.0', '0.97'],
      ['async', '48.5', '50.0', '0.97'],
    ])
  })

  it('draws this machine’s prediction as a cross when the run was calibrated', () => {
    const doc = singleLevel()
    for (const r of doc.runs) r.prediction = { perSecond: 90, meanMs: 33, basis: 'this-machine', textbook: { perSecond: 100, meanMs: 30 }, thisMachine: { perSecond: 90, meanMs: 33, clientCores: 1, serverCores: 1, clientBound: false } }
    const calibrated = throughputChart([doc], 'cpu-20ms') as BarChartModel
    expect(calibrated.series.map((s) => [s.label, s.marker, s.values])).toEqual([
      ['answered req/s (measured)', 'circle', [94.25, 48.5]],
      ['theory (queueing model)', 'dash', [100, 100]],
      ['this machine (calibrated model)', 'cross', [90, 90]],
    ])
    expect(calibrated.table.columns.at(-1)).toBe('measured ÷ this machine (good ≈ 1.00)')
    expect(calibrated.caption).toContain('a dash (—) at a topology is theory (queueing model); a cross (×) is this machine (calibrated model).')
  })

  it('hides the prediction markers and their caption until the predictions are revealed', () => {
    const gated = gateReport(buildReport([singleLevel()])).sections.flatMap((s) => s.charts).find((c) => c.id === chart.id) as BarChartModel
    expect(gated.series.map((s) => s.label)).toEqual(['answered req/s (measured)'])
    expect(gated.caption).not.toMatch(/theory|Model/)
    expect(gated.table.columns).toEqual(['topology', 'answered'])
  })

  it('keeps lines against connections when a workload ran at several levels', () => {
    expect(throughputChart([load('results-catalogue.json')], 'cpu-20ms').kind).toBe('line')
  })
})

describe('the throughput chart of a scenario that turns one knob', () => {
  it('finds the one numeric server field the topologies differ in', () => {
    expect(scenarioKnob([workerSweep()], 'cpu-20ms')?.field).toBe('workers')
    expect(scenarioKnob([workerSweep()], 'cpu-20ms')?.values.map((v) => v.value)).toEqual([1, 2, 4, 8, 16])
  })

  it('draws answered req/s against workers with the model as a line, so the knee shows', () => {
    const chart = throughputChart([workerSweep()], 'cpu-20ms') as LineChartModel
    expect(chart.kind).toBe('line')
    expect(chart.x).toMatchObject({ title: 'workers (server.workers)', type: 'linear', ticks: [1, 2, 4, 8, 16] })
    expect(chart.series.map((s) => [s.label, s.style, s.points.map((p) => [p.x, p.y])])).toEqual([
      ['answered req/s (measured)', 'line', [[1, 19.5], [2, 39], [4, 78], [8, 150], [16, 190]]],
      ['theory (queueing model)', 'theory', [[1, 20], [2, 40], [4, 80], [8, 160], [16, 200]]],
    ])
    expect(chart.table.columns).toEqual(['workers', 'topology', 'answered', 'theory', 'measured ÷ theory (good ≈ 1.00)'])
    expect(chart.table.rows[4]).toEqual(['16', 'w16', '190.0', '200.0', '0.95'])
  })

  it('keeps the per-topology chart when the topologies differ in more than one field or in a word', () => {
    const two = workerSweep()
    const topologies = (two.scenario.definition as { topologies: Record<string, { server: Record<string, unknown> }> }).topologies
    topologies.w16 = { server: { model: 'prefork', workers: 16, threads: 4 } }
    expect(scenarioKnob([two], 'cpu-20ms')).toBeNull()
    expect(throughputChart([two], 'cpu-20ms').kind).toBe('bar')
    expect(scenarioKnob([singleLevel()], 'cpu-20ms')).toBeNull()
  })

  it('keeps lines against connections when the runs span several levels', () => {
    const doc = workerSweep()
    const extra = structuredClone(doc.runs[0])
    if (extra) doc.runs.push({ ...extra, connections: 64 })
    expect(scenarioKnob([doc], 'cpu-20ms')).toBeNull()
    expect((throughputChart([doc], 'cpu-20ms') as LineChartModel).x.title).toBe('connections')
  })
})

describe('the Little’s-law chart’s labels', () => {
  it('are short, unique and allowed to tilt or be skipped, so they never print over each other', () => {
    const chart = littlesLawChart([load('results-prefork-vs-async.json')])
    const labels = chart.categories.map((lines) => lines.join(' '))
    expect(chart.categories.slice(0, 3)).toEqual([['prefork @1', 'io-bound'], ['prefork @16', 'io-bound'], ['prefork @128', 'io-bound']])
    expect(new Set(labels).size).toBe(labels.length)
    for (const lines of chart.categories) for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(24)
    expect(chart.xTicks).toEqual({ autoSkip: true, maxRotation: 60 })
  })

  it('number repeats and compared documents, the legend saying which document is which', () => {
    const a = load('results-prefork-vs-async.json')
    const b = { ...structuredClone(a), stack: 'python' }
    const first = b.runs[0]
    if (!first) throw new Error('the fixture has no runs')
    b.runs.push({ ...structuredClone(first), repeat: 1 })
    const chart = littlesLawChart([a, b])
    const labels = chart.categories.map((lines) => lines.join(' '))
    expect(new Set(labels).size).toBe(labels.length)
    expect(labels.at(-1)).toBe(`${first.topology} @${first.connections} #2 (2) ${first.workload}`)
    expect(chart.series.map((s) => s.label)).toEqual(['(1) node', '(2) python'])
  })
})

describe('the report’s latency axis', () => {
  it('has ticks on the 1-2-5 sequence from below the fastest p50 to above the slowest p99', () => {
    const chart = latencyChart([load('results-prefork-vs-async.json')], 'io-bound')
    const ys = chart.series.flatMap((s) => s.points.map((p) => p.y))
    const ticks = chart.y.ticks ?? []
    expect(ticks.length).toBeGreaterThan(3)
    for (const tick of ticks) expect(Number((tick / 10 ** Math.floor(Math.log10(tick))).toPrecision(3)), String(tick)).toBeOneOf([1, 2, 5])
    expect(chart.y.min).toBe(ticks[0])
    expect(chart.y.max).toBe(ticks.at(-1))
    expect(chart.y.min).toBeLessThanOrEqual(Math.min(...ys))
    expect(chart.y.max).toBeGreaterThanOrEqual(Math.max(...ys))
    expect(chart.y.max).toBeLessThan(Math.max(...ys) * 2.5)
  })

  it('is the live page’s own tick rule, not a copy of it', () => {
    const ys = latencyChart([load('results-prefork-vs-async.json')], 'io-bound').series.flatMap((s) => s.points.map((p) => p.y))
    expect(latencyChart([load('results-prefork-vs-async.json')], 'io-bound').y).toMatchObject(logTicks(Math.min(...ys), Math.max(...ys)))
  })
})
