/**
 * The report's numbers you can trust: a trailing part-second drawn hollow and
 * never scaled up, both predictions (textbook dashed, this machine dotted),
 * answered req/s in the throughput chart, and the calibration and CPU
 * placement in the environment panel.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseResults, type ResultsDocument } from '../../lab/core/results.js'
import { calibrationText, environmentTable } from '../../web/src/report/environment.js'
import { predictGroups, revealRows } from '../../web/src/report/predict.js'
import { throughputChart } from '../../web/src/report/throughput.js'
import { timelineChart } from '../../web/src/report/timeline.js'

/** The prefork-vs-async fixture as a calibrated run would write it. */
function calibrated(): ResultsDocument {
  const parsed = parseResults(JSON.parse(readFileSync(new URL('../fixtures/results-prefork-vs-async.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
  const doc = parsed.value
  for (const run of doc.runs) {
    // a textbook figure 5 % above the measurement, this machine's on it (Little's law for the latencies)
    const textbook = { perSecond: run.requests.perSecond.mean * 1.05, meanMs: (run.connections * 1000) / (run.requests.perSecond.mean * 1.05) }
    const machine = { perSecond: textbook.perSecond * 0.95, meanMs: textbook.meanMs / 0.95 }
    run.prediction = { ...machine, basis: 'this-machine', textbook, thisMachine: { ...machine, clientCores: 0.1, serverCores: 1.9, clientBound: false } }
  }
  doc.env.placement = { mode: 'shared', client: [0, 1], servers: [0, 1], note: '2 cores: the load generator and the servers share them' }
  doc.calibration = [
    { engine: 'node-prefork', version: '0.1.0', settings: 'model=prefork workers=4', serverMsPerRequest: 0.314, clientMsPerRequest: 0.309, level: { path: '/work?io_ms=0&cpu_ms=0&bytes=1024', connections: 16, seconds: 2, perSecond: 1711, serverCpuPercent: 53.7, clientCpuPercent: 52.9 }, measuredAt: '2026-12-02T05:29:30.000Z', source: 'measured' },
  ]
  return doc
}

describe('a trailing part-second in the timeline', () => {
  it('is drawn hollow at the responses it holds, not scaled up, and said so in the caption and table', () => {
    const doc = calibrated()
    const run = doc.runs.find((r) => r.topology === 'async' && r.workload === 'io-bound' && r.connections === 16)
    if (!run) throw new Error('no run')
    run.timeline.push({ t: run.timeline.length + 0.2, perSecond: 62, p50Ms: 51, p99Ms: 52, errors: 0, partial: true, widthS: 0.2 })
    const chart = timelineChart([doc], 'io-bound', 'async', 16)
    const last = chart.series[0]?.points.at(-1)
    expect(last).toEqual({ x: run.timeline.length - 1 + 0.2, y: 62, partial: true })
    expect(chart.series[0]?.points.filter((p) => p.partial)).toHaveLength(1)
    expect(chart.caption).toContain('the hollow point is the last 0.20 s, its responses, not scaled to a rate')
    expect(chart.table.rows.at(-1)?.at(-1)).toBe('0.20 s: responses, not a rate')
  })
})

describe('both predictions', () => {
  it('draws the textbook line dashed and the this-machine line dotted, and divides by this machine', () => {
    const chart = throughputChart([calibrated()], 'io-bound')
    expect(chart.series.map((s) => [s.label, s.style])).toEqual([
      ['prefork', 'line'],
      ['prefork theory (queueing model)', 'theory'],
      ['prefork this machine (calibrated model)', 'machine'],
      ['async', 'line'],
      ['async theory (queueing model)', 'theory'],
      ['async this machine (calibrated model)', 'machine'],
    ])
    expect(chart.table.columns).toContain('prefork measured ÷ this machine (good ≈ 1.00)')
    expect(chart.caption).toContain('Dotted: this machine')
  })

  it('reveals the calibrated prediction beside the textbook one', () => {
    const [group] = predictGroups([calibrated()])
    const answer = group?.items[0]?.answers[0]
    if (!answer) throw new Error('no answer')
    expect(answer.machine).toBeCloseTo((answer.theory ?? 0) * 0.95, 9)
    expect(revealRows(answer, null).map((r) => r[0])).toEqual(['measured', 'queueing model', 'this machine (calibrated)', 'your prediction'])
  })
})

describe('the environment panel', () => {
  it('shows where the client and the servers ran and each engine’s calibration', () => {
    const table = environmentTable([calibrated()])
    const row = (name: string) => table.rows.find((r) => r[0] === name)?.[1]
    expect(row('CPU placement')).toBe('2 cores: the load generator and the servers share them')
    expect(row('calibration')).toBe(
      'node-prefork 0.1.0 (model=prefork workers=4): server 0.314 ms, load generator 0.309 ms per response at 1711 req/s on 16 connections, measured 2026-12-02',
    )
  })

  it('says the predictions are the textbook ones without a calibration', () => {
    expect(calibrationText({ ...calibrated(), calibration: [] })).toBe('none: predictions are the textbook ones')
  })
})
